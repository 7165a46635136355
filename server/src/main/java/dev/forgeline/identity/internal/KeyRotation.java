package dev.forgeline.identity.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.forgeline.audit.Audit;
import dev.forgeline.identity.SecretKeys;
import dev.forgeline.platform.EncryptedSecrets;
import dev.forgeline.platform.SecretBox;

@Component
class KeyRotation implements SecretKeys {

    private final SecretBox current;
    private final List<EncryptedSecrets> holders;
    private final TransactionTemplate transaction;
    private final Audit audit;

    KeyRotation(SecretBox current, List<EncryptedSecrets> holders, TransactionTemplate transaction, Audit audit) {
        this.current = current;
        this.holders = holders;
        this.transaction = transaction;
        this.audit = audit;
    }

    @Override
    public Map<String, Integer> rotate(String newKey) {
        SecretBox next = SecretBox.withKey(newKey);
        return transaction.execute(status -> {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (EncryptedSecrets holder : holders) {
                counts.put(holder.kind(), holder.reencrypt(current, next));
            }
            audit.record("secret-key.rotated", "secret-key", null, counts.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")));
            return counts;
        });
    }
}
