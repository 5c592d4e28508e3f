package dev.awal.contacts.peer;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** One SELECT by id, the row as JSON: the stack's own cost of a point read, nothing of the service's. */
@Path("/contacts")
public class ContactResource {

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @WithSession
    public Uni<Contact> get(@PathParam("id") long id) {
        return Contact.<Contact>findById(id).onItem().ifNull().failWith(NotFoundException::new);
    }
}
