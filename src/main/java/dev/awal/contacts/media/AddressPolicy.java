package dev.awal.contacts.media;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which addresses a client-supplied URL may reach (SSRF guard of the remote image fetcher and of
 * webhook delivery): public unicast only. IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4)
 * are judged by that IPv4 address too, because that is the host they reach.
 */
public final class AddressPolicy {

    /** Blocks that can never be a unicast web server, refused even when private addresses are allowed. */
    private static final List<Cidr> NEVER_FETCHABLE = cidrs(
            "0.0.0.0/8",          // "this network" / unspecified
            "224.0.0.0/4",        // multicast
            "255.255.255.255/32", // broadcast
            "::/128",             // unspecified
            "ff00::/8");          // multicast

    private static final List<Cidr> PRIVATE_OR_RESERVED = cidrs(
            "10.0.0.0/8",
            "100.64.0.0/10",      // carrier-grade NAT
            "127.0.0.0/8",
            "169.254.0.0/16",     // link-local, includes cloud metadata 169.254.169.254
            "172.16.0.0/12",
            "192.0.0.0/24",       // IETF protocol assignments
            "192.0.2.0/24",       // documentation
            "192.168.0.0/16",
            "198.18.0.0/15",      // benchmarking
            "198.51.100.0/24",    // documentation
            "203.0.113.0/24",     // documentation
            "240.0.0.0/4",        // reserved
            "::/96",              // loopback ::1 and deprecated IPv4-compatible addresses
            "100::/64",           // discard-only
            "2001:db8::/32",      // documentation
            "64:ff9b:1::/48",     // local-use NAT64
            "fc00::/7",           // unique local
            "fe80::/10",          // link-local
            "fec0::/10");         // deprecated site-local

    private static final List<Cidr> DISALLOWED =
            Stream.concat(NEVER_FETCHABLE.stream(), PRIVATE_OR_RESERVED.stream()).toList();

    private static final byte[] IPV4_MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private AddressPolicy() {
    }

    /** Whether the address is loopback, private, link-local, multicast or otherwise not public. */
    public static boolean isDisallowed(InetAddress address) {
        return isInAny(address.getAddress(), DISALLOWED);
    }

    /** Whether the address can never be a unicast web server (refused even when private addresses are allowed). */
    public static boolean isNeverFetchable(InetAddress address) {
        return isInAny(address.getAddress(), NEVER_FETCHABLE);
    }

    private static boolean isInAny(byte[] address, List<Cidr> blocks) {
        // IPv6 forms that carry an IPv4 address reach that IPv4 host, so the embedded one counts too.
        boolean embeddedHit = embeddedIpv4(address).map(ipv4 -> isInAny(ipv4, blocks)).orElse(false);
        return embeddedHit || blocks.stream().anyMatch(block -> block.contains(address));
    }

    private static Optional<byte[]> embeddedIpv4(byte[] address) {
        if (isIpv4Mapped(address) || NAT64.contains(address)) {
            return Optional.of(Arrays.copyOfRange(address, 12, 16));
        }
        if (SIX_TO_FOUR.contains(address)) {
            return Optional.of(Arrays.copyOfRange(address, 2, 6));
        }
        return Optional.empty();
    }

    /** ::ffff:a.b.c.d; not a Cidr because the JDK parses ::ffff:0:0 as the IPv4 address 0.0.0.0. */
    private static boolean isIpv4Mapped(byte[] address) {
        return address.length == 16 && Arrays.equals(address, 0, 12, IPV4_MAPPED_PREFIX, 0, 12);
    }

    private static List<Cidr> cidrs(String... notations) {
        return Stream.of(notations).map(Cidr::parse).toList();
    }
}
