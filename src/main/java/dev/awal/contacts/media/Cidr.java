package dev.awal.contacts.media;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code fc00::/7}. */
record Cidr(byte[] network, int prefixLength) {

    static Cidr parse(String notation) {
        int slash = notation.indexOf('/');
        String address = notation.substring(0, slash);
        try {
            // Literal addresses only, so this never touches DNS.
            byte[] network = InetAddress.getByName(address).getAddress();
            int prefixLength = Integer.parseInt(notation.substring(slash + 1));
            // The JDK turns ::ffff:a.b.c.d into IPv4, which would silently change the block's meaning.
            if (prefixLength > network.length * 8) {
                throw new IllegalArgumentException("prefix too long for " + notation);
            }
            return new Cidr(network, prefixLength);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address block: " + notation, e);
        }
    }

    boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int wholeBytes = prefixLength / 8;
        for (int i = 0; i < wholeBytes; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int remainingBits = prefixLength % 8;
        if (remainingBits == 0) {
            return true;
        }
        int mask = 0xff << (8 - remainingBits);
        return (address[wholeBytes] & mask) == (network[wholeBytes] & mask);
    }
}
