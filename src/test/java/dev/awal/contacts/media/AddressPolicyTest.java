package dev.awal.contacts.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPolicyTest {

    @ParameterizedTest(name = "{0} disallowed={1}")
    @CsvSource({
        "10.1.2.3, true",
        "172.16.0.1, true",
        "172.31.255.255, true",
        "172.32.0.1, false",
        "192.168.1.1, true",
        "127.0.0.1, true",
        "127.255.0.9, true",
        "169.254.169.254, true",
        "100.64.0.1, true",
        "100.127.255.255, true",
        "100.128.0.1, false",
        "224.0.0.1, true",
        "239.255.255.250, true",
        "0.0.0.0, true",
        "0.1.2.3, true",
        "255.255.255.255, true",
        "240.0.0.1, true",
        "198.18.0.1, true",
        "198.19.255.255, true",
        "198.20.0.1, false",
        "8.8.8.8, false",
        "93.184.216.34, false",
        "::1, true",
        "::, true",
        "fe80::1, true",
        "febf::1, true",
        "fc00::1, true",
        "fd12:3456::1, true",
        "ff02::1, true",
        "::ffff:10.0.0.1, true",
        "::ffff:8.8.8.8, false",
        "64:ff9b::a00:1, true",
        "64:ff9b::808:808, false",
        "2002:a00:1::, true",
        "2002:a9fe:a9fe::1, true",
        "2002:808:808::1, false",
        "2001:4860:4860::8888, false",
        "2606:4700:4700::1111, false",
    })
    void classifiesAddresses(String literal, boolean disallowed) throws UnknownHostException {
        assertEquals(disallowed, AddressPolicy.isDisallowed(InetAddress.getByName(literal)));
    }

    @Test
    void ipv4MappedAddressHeldAsIpv6IsCheckedByItsEmbeddedIpv4() throws UnknownHostException {
        // InetAddress.getByName converts ::ffff:a.b.c.d to IPv4, but an Inet6Address can still carry one.
        byte[] mappedPrivate = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 0, 0, 1};
        byte[] mappedPublic = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 8, 8, 8, 8};

        InetAddress privateOne = Inet6Address.getByAddress(null, mappedPrivate, -1);
        InetAddress publicOne = Inet6Address.getByAddress(null, mappedPublic, -1);

        assertInstanceOf(Inet6Address.class, privateOne);
        assertTrue(AddressPolicy.isDisallowed(privateOne));
        assertFalse(AddressPolicy.isDisallowed(publicOne));
    }

    @ParameterizedTest(name = "{0} never fetchable={1}")
    @CsvSource({
        "0.0.0.0, true",
        "224.0.0.1, true",
        "255.255.255.255, true",
        "::, true",
        "ff02::1, true",
        "127.0.0.1, false",
        "10.0.0.5, false",
        "::1, false",
        "8.8.8.8, false",
    })
    void privateModeStillRefusesAddressesThatCannotBeAWebServer(String literal, boolean refused)
            throws UnknownHostException {
        assertEquals(refused, AddressPolicy.isNeverFetchable(InetAddress.getByName(literal)));
    }
}
