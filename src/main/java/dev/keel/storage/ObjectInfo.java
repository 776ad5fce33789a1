package dev.keel.storage;

import java.time.Instant;

/** An object's metadata as the backend reports it ({@code contentType} may be null). */
public record ObjectInfo(String key, long sizeBytes, Instant lastModified, String contentType) {
}
