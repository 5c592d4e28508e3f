package dev.awal.contacts.webhooks;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Tells this replica's webhook dispatcher that a write through the API has committed, so that its events are
 * delivered now rather than at the next poll. Every change that writes events (contacts, groups, branches,
 * attributes, imports) is a POST, PUT, PATCH or DELETE of this API, and its transaction has committed before the
 * response is built; hooking the answer covers them all without touching the write paths. A hint for a write
 * that wrote no event costs one look at the outbox, shared with the writes around it. Writes on other replicas,
 * and events written outside a request (an import's completion), are found by the poll as before.
 */
public class WriteHint {

    private final WebhookDispatcher dispatcher;

    WriteHint(WebhookDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @ServerResponseFilter
    public void afterWrite(ContainerRequestContext request, ContainerResponseContext response) {
        int status = response.getStatus();
        if (status >= 200 && status < 300 && switch (request.getMethod()) {
            case "POST", "PUT", "PATCH", "DELETE" -> true;
            default -> false;
        }) {
            dispatcher.written();
        }
    }
}
