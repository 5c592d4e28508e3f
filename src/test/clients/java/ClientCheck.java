import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.openapitools.client.ApiClient;
import org.openapitools.client.ApiException;
import org.openapitools.client.api.BranchesApi;
import org.openapitools.client.api.ContactGroupsApi;
import org.openapitools.client.api.ContactsApi;
import org.openapitools.client.api.CustomAttributesApi;
import org.openapitools.client.model.Branch;
import org.openapitools.client.model.BranchWrite;
import org.openapitools.client.model.Contact;
import org.openapitools.client.model.ContactAttribute;
import org.openapitools.client.model.ContactAttributeCreate;
import org.openapitools.client.model.ContactAttributeUpdate;
import org.openapitools.client.model.ContactCreate;
import org.openapitools.client.model.ContactGroup;
import org.openapitools.client.model.ContactGroupWrite;
import org.openapitools.client.model.ContactListResponse;
import org.openapitools.client.model.ContactUpdate;

/**
 * Drives the Java client generated from the service's OpenAPI document (OpenAPI Generator, `java`
 * generator, `native` library, default settings) against a running service.
 * Usage: java ClientCheck BASE_URL CLIENT_ID SECRET WORKSPACE
 */
public final class ClientCheck {

    public static void main(String[] args) throws Exception {
        ApiClient client = new ApiClient();
        // java.net.http defaults to HTTP/2, which over plain http means an h2c upgrade attempt; the service
        // speaks HTTP/1.1 in cleartext and ignores the upgrade, so asking for HTTP/1.1 saves the attempt.
        client.setHttpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1));
        client.updateBaseUri(args[0]);
        client.setRequestInterceptor(new Signer(args[1], args[2], args[3]));
        ContactsApi contacts = new ContactsApi(client);
        ContactGroupsApi groups = new ContactGroupsApi(client);
        BranchesApi branches = new BranchesApi(client);
        String marker = "JavaClient" + ThreadLocalRandom.current().nextInt(1_000_000);

        // create: the created object comes back
        Contact first = contacts.createContact("109876543210",
                new ContactCreate().name(marker + " One").phone(phone()).email("one@example.com")).getData();
        check(first.getId() != null && first.getName().equals(marker + " One"), "created contact returned");
        Contact second = contacts.createContact("109876543210",
                new ContactCreate().name(marker + " Two").phone(phone())).getData();

        // get, then 304 with the ETag
        var got = contacts.getContactWithHttpInfo(first.getId(), null);
        check(got.getData().getData().getEmail().equals("one@example.com"), "get returns the contact");
        String etag = got.getHeaders().get("ETag").get(0);
        check(status(() -> contacts.getContact(first.getId(), etag)) == 304, "If-None-Match gives 304");

        // list with search, then the next page by cursor
        ContactListResponse page = contacts.listContacts(null, null, null, null, null, 1, null, marker, null, "name");
        check(page.getData().size() == 1 && page.getMeta().getNextCursor() != null, "first page has a cursor");
        ContactListResponse next = contacts.listContacts(null, null, page.getMeta().getNextCursor(), null, null, 1,
                null, marker, null, "name");
        check(next.getData().get(0).getId().equals(second.getId()), "cursor gives the second contact");

        // group and branch, linked by a patch, then unlinked with null
        ContactGroup group = groups.createContactGroup(new ContactGroupWrite().name(marker + " group")).getData();
        Branch branch = branches.createBranch("109876543210", new BranchWrite().name(marker + " branch")).getData();
        Contact linked = contacts.updateContact(first.getId(),
                new ContactUpdate().contactGroupId(group.getId()).branchId(branch.getId()), null).getData();
        check(group.getId().equals(linked.getContactGroupId()) && branch.getId().equals(linked.getBranchId()), "linked");
        Contact unlinked = contacts.updateContact(first.getId(), new ContactUpdate().contactGroupId(null), null).getData();
        check(unlinked.getContactGroupId() == null && branch.getId().equals(unlinked.getBranchId()), "null unlinks the group only");
        check(groups.getContactGroup(group.getId()).getData().getContactsCount() == 0, "group count follows");

        // an upsert leaves out what the caller did not set: a favourite stays one (the model sends no default)
        String upserted = phone();
        contacts.upsertContactByPhone(upserted, "109876543210", new ContactCreate().name(marker + " Fav").isFavorite(true),
                null, null, null);
        Contact kept = contacts.upsertContactByPhone(upserted, "109876543210", new ContactCreate().name(marker + " Fav2"),
                null, null, null).getData();
        check(Boolean.TRUE.equals(kept.getIsFavorite()) && kept.getName().equals(marker + " Fav2"), "an upsert keeps is_favorite");
        check(status(() -> contacts.upsertContactByPhone(upserted, "109876543210", new ContactCreate().name(marker + " Fav3"),
                null, null, "*")) == 412, "If-None-Match: * refuses a phone in use");

        // a rename of an inactive group leaves it inactive (the model sends no status default)
        ContactGroup inactive = groups.createContactGroup(new ContactGroupWrite().name(marker + " inactive")
                .status(ContactGroupWrite.StatusEnum.NUMBER_0)).getData();
        ContactGroup renamed = groups.updateContactGroup(inactive.getId(), new ContactGroupWrite().name(marker + " renamed"), null)
                .getData();
        check(renamed.getStatus() == ContactGroup.StatusEnum.NUMBER_0, "a rename keeps the group inactive");
        groups.deleteContactGroup(inactive.getId(), null);

        // a text attribute (no options, no max_length sent), renamed, deleted
        CustomAttributesApi attributes = new CustomAttributesApi(client);
        ContactAttribute note = attributes.createContactAttribute(new ContactAttributeCreate().key("jc_" + marker.substring(10))
                .label("Note").type(ContactAttributeCreate.TypeEnum.TEXT)).getData();
        check(note.getId() != null, "a text attribute is created");
        check(attributes.updateContactAttribute(note.getId(), new ContactAttributeUpdate().label("Note 2"), null).getData()
                .getLabel().equals("Note 2"), "an attribute is renamed");
        attributes.deleteContactAttribute(note.getId(), null);

        // the export, whatever Accept the client sends
        String csv = java.nio.file.Files.readString(contacts.exportContacts(null, null, null, null, null, null, marker, null, "name").toPath());
        check(csv.startsWith("\"name\"") && csv.contains(marker + " One"), "the export is the CSV");

        // delete, then a 404 and a 422 read as the typed error envelope
        contacts.deleteContact(second.getId(), null);
        org.openapitools.client.model.Error notFound = error(client, () -> contacts.getContact(second.getId(), null));
        check(notFound.getError() == org.openapitools.client.model.Error.ErrorEnum.RESOURCE_NOT_FOUND, "404 is resource_not_found");
        org.openapitools.client.model.Error invalid = error(client,
                () -> contacts.createContact("109876543210", new ContactCreate().name(marker).phone("+1 23")));
        check(invalid.getError() == org.openapitools.client.model.Error.ErrorEnum.VALIDATION_FAILED && invalid.getDetails().containsKey("phone"),
                "422 names the phone");
        branches.deleteBranch(branch.getId(), null);
        groups.deleteContactGroup(group.getId(), null);
        contacts.deleteContact(first.getId(), null);
        System.out.println("Java client check passed");
    }

    /** Signs every request (contract §6) in the client's request interceptor, over the exact body bytes. */
    static final class Signer implements Consumer<HttpRequest.Builder> {
        private final String clientId;
        private final String secret;
        private final String workspace;

        Signer(String clientId, String secret, String workspace) {
            this.clientId = clientId;
            this.secret = secret;
            this.workspace = workspace;
        }

        @Override
        public void accept(HttpRequest.Builder builder) {
            HttpRequest request = builder.build();
            URI uri = request.uri();
            String timestamp = String.valueOf(Instant.now().getEpochSecond());
            String toSign = request.method() + uri.getRawPath().substring("/api/developer".length())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + timestamp;
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                mac.update(toSign.getBytes(StandardCharsets.UTF_8));
                mac.update(request.bodyPublisher().map(Signer::bytes).orElse(new byte[0]));
                builder.setHeader("X-Client-ID", clientId).setHeader("X-Domain", workspace)
                        .setHeader("X-Timestamp", timestamp)
                        .setHeader("X-Awal-Signature-256", "sha256=" + HexFormat.of().formatHex(mac.doFinal()));
            } catch (Exception e) {
                throw new IllegalStateException("Could not sign the request", e);
            }
        }

        /** The generated client sends byte-array bodies, which can be read again without side effects. */
        private static byte[] bytes(HttpRequest.BodyPublisher publisher) {
            CompletableFuture<byte[]> body = new CompletableFuture<>();
            publisher.subscribe(new Flow.Subscriber<>() {
                private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

                public void onSubscribe(Flow.Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                public void onNext(ByteBuffer item) {
                    byte[] chunk = new byte[item.remaining()];
                    item.get(chunk);
                    out.writeBytes(chunk);
                }

                public void onError(Throwable throwable) {
                    body.completeExceptionally(throwable);
                }

                public void onComplete() {
                    body.complete(out.toByteArray());
                }
            });
            try {
                return body.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Could not read the request body", e);
            }
        }
    }

    interface Call {
        void run() throws ApiException;
    }

    private static int status(Call call) {
        try {
            call.run();
        } catch (ApiException e) {
            return e.getCode();
        }
        throw new IllegalStateException("Expected an error answer");
    }

    private static org.openapitools.client.model.Error error(ApiClient client, Call call) throws Exception {
        try {
            call.run();
        } catch (ApiException e) {
            return client.getObjectMapper().readValue(e.getResponseBody(), org.openapitools.client.model.Error.class);
        }
        throw new IllegalStateException("Expected an error answer");
    }

    private static String phone() {
        return "+96650" + String.format("%07d", ThreadLocalRandom.current().nextInt(10_000_000));
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("Failed: " + what);
        }
    }
}
