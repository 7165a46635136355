package dev.forgeline.ingest;

import java.util.Optional;

/** What a job needs to read a connection's forge API (a group import). The token is a secret: never log or show it. */
public interface ForgeApiCredentials {

    /** @param baseUrl as configured on the connection; null when none was given */
    record ForgeApi(long connectionId, String provider, String baseUrl, String apiToken) {

        @Override
        public String toString() {
            return "ForgeApi[connection " + connectionId + ", " + provider + ", " + baseUrl + "]";
        }
    }

    /** Empty when there is no such connection; {@code apiToken} is null when the connection has none. */
    Optional<ForgeApi> of(long connectionId);
}
