package dev.forgeline.platform;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;

/**
 * Where the server may send its own requests (a forge's API, a login provider): a host is resolved and refused when
 * any of its addresses is loopback, link-local, private, shared (CGNAT), unspecified, multicast, reserved or a cloud
 * metadata address, unless {@code forgeline.outbound.allowed-ranges} includes it. Otherwise a forge address given by
 * an admin, or a redirect, could make the server read its own internal network (server-side request forgery).
 * <p>
 * The check resolves through the JDK's address cache, which keeps a lookup 30 s by default: the connection made right
 * after it reuses the addresses that were checked, so a name cannot re-bind to an internal address in between.
 * Redirects are never followed: each one would be another address to check.
 */
@Component
public class OutboundAddresses {

    public static final String ALLOWED_RANGES = "forgeline.outbound.allowed-ranges";

    private static final Range METADATA_V4 = Range.parse("169.254.169.254/32");
    private static final Range METADATA_V6 = Range.parse("fd00:ec2::254/128");
    private static final Range THIS_NETWORK = Range.parse("0.0.0.0/8");
    private static final Range SHARED = Range.parse("100.64.0.0/10");
    private static final Range RESERVED = Range.parse("240.0.0.0/4");
    private static final Range UNIQUE_LOCAL = Range.parse("fc00::/7");
    private static final Range NAT64 = Range.parse("64:ff9b::/96");

    private final List<Range> allowed;

    @Autowired
    public OutboundAddresses(ForgelineProperties settings) {
        this(settings.outbound().allowedRanges().stream().map(Range::parse).toList());
    }

    OutboundAddresses(List<Range> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** The server refused to send a request there; the message says why and which setting allows it. */
    public static final class RefusedAddressException extends IOException {
        RefusedAddressException(String message) {
            super(message);
        }
    }

    /**
     * Resolves the URI's host and answers its addresses when every one may be reached.
     * @throws RefusedAddressException for a scheme other than http/https or an address of the kinds above
     * @throws UnknownHostException when the name does not resolve
     */
    public List<InetAddress> check(URI uri) throws IOException {
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || uri.getHost() == null) {
            throw new RefusedAddressException("only http and https addresses are requested, not '" + uri.getScheme() + ":'");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        List<InetAddress> addresses = List.of(InetAddress.getAllByName(host));
        for (InetAddress address : addresses) {
            String kind = forbiddenKind(address);
            if (kind != null && allowed.stream().noneMatch(range -> range.contains(address))) {
                throw new RefusedAddressException(host + " resolves to " + address.getHostAddress() + ", " + kind
                        + ": the server does not send requests there unless " + ALLOWED_RANGES + " ("
                        + ForgelineProperties.environmentVariable(ALLOWED_RANGES) + ") includes it");
            }
        }
        return addresses;
    }

    /**
     * For Spring's HTTP clients: every request is checked before it is sent, and redirects are not followed.
     */
    public ClientHttpRequestFactory requestFactory() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        JdkClientHttpRequestFactory jdk = new JdkClientHttpRequestFactory(http);
        jdk.setReadTimeout(Duration.ofSeconds(30));
        return (uri, method) -> {
            check(uri);
            return jdk.createRequest(uri, method);
        };
    }

    /** What kind of internal address this is, for the message; null for an address on the internet. */
    static String forbiddenKind(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            InetAddress embedded = embeddedIpv4(v6);
            if (embedded != null) {
                String kind = forbiddenKind(embedded);
                return kind == null ? null : kind + " (inside an IPv6 address)";
            }
        }
        if (METADATA_V4.contains(address) || METADATA_V6.contains(address)) {
            return "a cloud metadata address";
        }
        if (address.isAnyLocalAddress() || THIS_NETWORK.contains(address)) {
            return "an unspecified address";
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (address.isSiteLocalAddress() || UNIQUE_LOCAL.contains(address)) {
            return "a private address";
        }
        if (SHARED.contains(address)) {
            return "a shared (carrier-grade NAT) address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        if (RESERVED.contains(address)) {
            return "a reserved address";
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-compatible (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) address; Java maps ::ffff: itself. */
    private static InetAddress embeddedIpv4(Inet6Address address) {
        byte[] bytes = address.getAddress();
        boolean compatible = Arrays.equals(bytes, 0, 12, new byte[12], 0, 12) && !address.isLoopbackAddress()
                && !address.isAnyLocalAddress();
        if (!compatible && !NAT64.contains(address)) {
            return null;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** An address range in CIDR notation: {@code 10.0.0.0/8}, {@code fd00::/8}, or one address. */
    public record Range(byte[] network, int prefix) {

        public static Range parse(String cidr) {
            String text = cidr.strip();
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            // Only literals: a name here would be resolved at start, not where the request goes.
            if (!host.matches("\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
                throw new IllegalArgumentException("'" + cidr + "' is not an address range such as 10.0.0.0/8 or fd00::/8");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + cidr + "' is not an address range such as 10.0.0.0/8 or fd00::/8");
            }
            int prefix;
            try {
                prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("'" + cidr + "' has a prefix length outside 0 to " + network.length * 8);
            }
            return new Range(network, prefix);
        }

        public boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            if (!Arrays.equals(bytes, 0, full, network, 0, full)) {
                return false;
            }
            int rest = prefix % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (bytes[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }
}
