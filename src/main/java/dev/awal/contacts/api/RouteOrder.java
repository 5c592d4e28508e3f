package dev.awal.contacts.api;

/**
 * The order of the service's own Vert.x route handlers, which all run before Quarkus REST routes a
 * request (lower runs first). Read top to bottom, this is the path every request takes.
 */
public final class RouteOrder {

    /** Names the route and writes the access-log line, so refused requests are logged too. */
    public static final int ACCESS_LOG = -300;
    /** Assigns the request id and checks the API version. */
    public static final int REQUEST_ID = -200;
    /** Refuses new requests while the replica shuts down; after the request id so the refusal carries one. */
    public static final int SHUTDOWN_GATE = -150;
    /** Checks the authentication headers of /api/developer requests before their body is read. */
    public static final int AUTHENTICATION = -120;
    /** Reads the body (bounded, files to disk), showing each chunk to the signature. */
    public static final int BODY = -110;
    /** Verifies signature and workspace, and puts the verified caller on the request. */
    public static final int VERIFICATION = -100;
    /** Counts authenticated requests against their limit. */
    public static final int RATE_LIMIT = -99;
    /**
     * Records a write's signature, refusing one already recorded (replay). After the rate limit, so only writes
     * within their client's budget are remembered: the cache is bounded by the budgets, and a client re-signing
     * refused writes in a loop cannot fill it for everyone.
     */
    public static final int REPLAY = -98;
    /** Answers get-by-id without Quarkus REST (contact.ContactReadRoute); hands every other request on. */
    public static final int FAST_READS = -90;

    private RouteOrder() {
    }
}
