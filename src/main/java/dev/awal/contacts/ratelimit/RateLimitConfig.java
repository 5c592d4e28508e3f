package dev.awal.contacts.ratelimit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * Requests allowed per client, workspace and operation class (README "Rate limits and running several replicas"); the defaults are
 * AwalChat's. Each value is {@code <requests>/<period>}.
 */
@ConfigMapping(prefix = "contacts.rate-limits")
public interface RateLimitConfig {

    /** GET /contacts. */
    @WithDefault("200/1m")
    @WithConverter(Limit.LimitConverter.class)
    Limit listContacts();

    /** POST /contacts, PATCH /contacts/{id}, PUT and DELETE /contacts/{id}/avatar: one shared budget. */
    @WithDefault("100/1m")
    @WithConverter(Limit.LimitConverter.class)
    Limit contactWrites();

    /** POST /branches and PATCH /branches/{id}: one shared budget. */
    @WithDefault("50/1h")
    @WithConverter(Limit.LimitConverter.class)
    Limit branchWrites();

    /** Every other operation. */
    @WithDefault("300/1m")
    @WithConverter(Limit.LimitConverter.class)
    Limit other();

    default Limit of(OperationClass operation) {
        return switch (operation) {
            case LIST_CONTACTS -> listContacts();
            case CONTACT_WRITES -> contactWrites();
            case BRANCH_WRITES -> branchWrites();
            case OTHER -> other();
        };
    }
}
