package dev.forgeline.jobs.internal;

import java.nio.charset.StandardCharsets;

import com.github.kagkarlsson.scheduler.serializer.Serializer;

/** Job payloads are short strings (ids, small JSON): stored as UTF-8 so they stay readable in the table. */
final class TextSerializer implements Serializer {

    @Override
    public byte[] serialize(Object data) {
        return data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public <T> T deserialize(Class<T> type, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (type != String.class && type != Object.class) {
            throw new IllegalArgumentException("job payloads are text, not " + type.getName());
        }
        return type.cast(new String(bytes, StandardCharsets.UTF_8));
    }
}
