package dev.keel.storage;

/** What a completed {@link ObjectStore#put} wrote: the key, its size and SHA-256 (lower-case hex). */
public record StoredObject(String key, long sizeBytes, String sha256) {
}
