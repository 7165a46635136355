package dev.forgeline.ingest.internal;

import static dev.forgeline.schema.Tables.CONNECTION;

import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

import dev.forgeline.platform.EncryptedSecrets;
import dev.forgeline.platform.SecretBox;

/** The webhook secret and forge API token of each connection, for a master key rotation. */
@Component
class ConnectionSecrets implements EncryptedSecrets {

    private final DSLContext db;

    ConnectionSecrets(DSLContext db) {
        this.db = db;
    }

    @Override
    public String kind() {
        return "connection secrets and forge API tokens";
    }

    @Override
    public int reencrypt(SecretBox from, SecretBox to) {
        int count = 0;
        for (var row : db.selectFrom(CONNECTION).orderBy(CONNECTION.ID).forUpdate().fetch()) {
            row.setSecretEncrypted(to.encrypt(from.decrypt(row.getSecretEncrypted())));
            count++;
            if (row.getApiTokenEncrypted() != null) {
                row.setApiTokenEncrypted(to.encrypt(from.decrypt(row.getApiTokenEncrypted())));
                count++;
            }
            db.executeUpdate(row);
        }
        return count;
    }
}
