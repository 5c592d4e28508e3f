package dev.awal.contacts;

import dev.awal.contacts.api.ApiError;
import dev.awal.contacts.api.ApiListResponse;
import dev.awal.contacts.api.ApiMessage;
import dev.awal.contacts.api.ApiResponse;
import dev.awal.contacts.api.PageMeta;
import dev.awal.contacts.api.Unlinked;
import dev.awal.contacts.branch.BranchView;
import dev.awal.contacts.contact.ContactView;
import dev.awal.contacts.group.GroupView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Native image: the JSON bodies Jackson reads reflectively. Quarkus registers the declared return
 * types of resource methods itself, but not what hides behind generics ({@code ApiResponse<ContactView>}
 * inside {@code Uni<RestResponse<...>>}) nor what ErrorResponder serializes by hand (ApiError).
 * A new response record belongs in this list. It stands beside the entry point, which may know every
 * package, so that api does not import the resources it serves.
 */
@RegisterForReflection(targets = { ApiError.class, ApiResponse.class, ApiListResponse.class, ApiMessage.class,
        PageMeta.class, Unlinked.class, ContactView.class, GroupView.class, BranchView.class })
final class NativeReflection {

    private NativeReflection() {
    }
}
