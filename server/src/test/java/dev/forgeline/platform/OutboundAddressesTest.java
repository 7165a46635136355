package dev.forgeline.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpResponse;

import com.sun.net.httpserver.HttpServer;

import dev.forgeline.platform.OutboundAddresses.Range;
import dev.forgeline.platform.OutboundAddresses.RefusedAddressException;

/** Which addresses the server's own requests may reach; literal addresses only, so no DNS server is needed. */
class OutboundAddressesTest {

    private final OutboundAddresses closed = new OutboundAddresses(List.of());

    @Test
    void internalAddressesOfEveryKindAreRefusedNamingTheKind() {
        Map<String, String> kinds = Map.ofEntries(
                Map.entry("127.0.0.1", "loopback"), Map.entry("127.9.9.9", "loopback"), Map.entry("[::1]", "loopback"),
                Map.entry("169.254.169.254", "cloud metadata"), Map.entry("[fd00:ec2::254]", "cloud metadata"),
                Map.entry("169.254.10.1", "link-local"), Map.entry("[fe80::1]", "link-local"),
                Map.entry("10.1.2.3", "private"), Map.entry("172.16.0.1", "private"), Map.entry("172.31.255.255", "private"),
                Map.entry("192.168.1.1", "private"), Map.entry("[fc00::1]", "private"), Map.entry("[fd12:3456::1]", "private"),
                Map.entry("0.0.0.0", "unspecified"), Map.entry("[::]", "unspecified"), Map.entry("0.1.2.3", "unspecified"),
                Map.entry("100.64.0.1", "carrier-grade NAT"), Map.entry("100.127.255.254", "carrier-grade NAT"),
                Map.entry("224.0.0.1", "multicast"), Map.entry("[ff02::1]", "multicast"), Map.entry("255.255.255.255", "reserved"),
                // IPv4 inside IPv6: mapped, compatible and NAT64 forms of internal addresses.
                Map.entry("[::ffff:127.0.0.1]", "loopback"), Map.entry("[::ffff:169.254.169.254]", "cloud metadata"),
                Map.entry("[::10.0.0.1]", "private"), Map.entry("[64:ff9b::a9fe:a9fe]", "cloud metadata"));
        kinds.forEach((host, kind) -> assertThatThrownBy(() -> closed.check(URI.create("http://" + host + ":8080/api")))
                .as(host).isInstanceOf(RefusedAddressException.class).hasMessageContaining(kind)
                .hasMessageContaining("forgeline.outbound.allowed-ranges (FORGELINE_OUTBOUND_ALLOWEDRANGES)"));
    }

    @Test
    void addressesOnTheInternetAreRequested() throws IOException {
        for (String host : List.of("8.8.8.8", "140.82.112.3", "172.32.0.1", "100.128.0.1", "[2606:4700:4700::1111]", "[64:ff9b::808:808]")) {
            assertThat(closed.check(URI.create("https://" + host + "/api/v4"))).as(host).hasSize(1);
        }
    }

    @Test
    void onlyHttpAndHttpsAreRequested() {
        for (String uri : List.of("file:///etc/passwd", "ftp://8.8.8.8/", "gopher://8.8.8.8:70/")) {
            assertThatThrownBy(() -> closed.check(URI.create(uri))).as(uri).isInstanceOf(RefusedAddressException.class)
                    .hasMessageContaining("only http and https");
        }
    }

    @Test
    void anAllowedRangeAdmitsItsAddressesAndNoOthers() throws IOException {
        OutboundAddresses open = new OutboundAddresses(List.of(Range.parse("10.0.3.0/24"), Range.parse("fd00::/8"), Range.parse("127.0.0.1")));
        assertThat(open.check(URI.create("http://10.0.3.7/"))).hasSize(1);
        assertThat(open.check(URI.create("http://[fd00::5]/"))).hasSize(1);
        assertThat(open.check(URI.create("http://127.0.0.1/"))).hasSize(1);
        assertThatThrownBy(() -> open.check(URI.create("http://10.0.4.7/"))).hasMessageContaining("private");
        assertThatThrownBy(() -> open.check(URI.create("http://127.0.0.2/"))).hasMessageContaining("loopback");
        assertThatThrownBy(() -> open.check(URI.create("http://169.254.169.254/"))).hasMessageContaining("metadata");
    }

    @Test
    void aMalformedAllowedRangeStopsTheServerNamingTheSetting() {
        for (String bad : List.of("10.0.0.0/33", "gitlab.internal/24", "10.0/8", "10.0.0.0/x", "::1/129")) {
            var environment = new StandardEnvironment();
            environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("forgeline.outbound.allowed-ranges", "127.0.0.0/8," + bad)));
            assertThatThrownBy(() -> ForgelineProperties.bind(environment)).as(bad)
                    .rootCause().isInstanceOf(ForgelineProperties.InvalidSetting.class).hasMessageContaining(bad)
                    .satisfies(e -> assertThat(((ForgelineProperties.InvalidSetting) e).property()).isEqualTo("forgeline.outbound.allowed-ranges"));
        }
        var environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("forgeline.outbound.allowed-ranges", "127.0.0.0/8, 10.0.0.0/8")));
        assertThat(ForgelineProperties.bind(environment).outbound().allowedRanges()).hasSize(2);
    }

    /** A redirect is answered as it is, never followed: its target would be an unchecked address. */
    @Test
    void springClientsCheckEachRequestAndDoNotFollowRedirects() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            URI local = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
            assertThatThrownBy(() -> closed.requestFactory().createRequest(local, HttpMethod.GET).execute())
                    .hasMessageContaining("loopback");
            OutboundAddresses loopbackAllowed = new OutboundAddresses(List.of(Range.parse("127.0.0.0/8")));
            try (ClientHttpResponse answer = loopbackAllowed.requestFactory().createRequest(local, HttpMethod.GET).execute()) {
                assertThat(answer.getStatusCode().value()).isEqualTo(302);
            }
        } finally {
            server.stop(0);
        }
    }
}
