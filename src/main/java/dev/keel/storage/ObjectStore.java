package dev.keel.storage;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Keel's object storage. Keys follow {@link StorageKeys} ({@code tenants/{tenantId}/…},
 * {@code backups/…}); every method rejects any other key with {@link InvalidStorageKeyException}
 * before touching the backend.
 *
 * <p>A put is atomic from a reader's point of view: until it returns, {@link #head} and {@link #get}
 * see either the previous object or nothing, never a partial one — so a process killed mid-upload
 * leaves no object behind that could be mistaken for a complete one.
 */
public interface ObjectStore {

	/** {@code filesystem} or {@code s3}. */
	String backend();

	/**
	 * Streams {@code content} (length unknown, read to its end but not closed) into {@code key},
	 * replacing any object there; the SHA-256 and size are computed while writing.
	 */
	StoredObject put(String key, InputStream content, String contentType) throws IOException;

	/** Opens the object for reading; the caller closes the stream. */
	InputStream get(String key) throws IOException;

	/** Size, type and modification time of the object, or empty when there is none. */
	Optional<ObjectInfo> head(String key) throws IOException;

	/** Deletes the object; returns whether one existed (S3 cannot tell and answers true). */
	boolean delete(String key) throws IOException;

	/**
	 * Objects whose key starts with {@code prefix} (itself a valid key prefix, e.g.
	 * {@code tenants/42/}), in key order, fetched lazily; close the stream when done.
	 */
	Stream<ObjectInfo> list(String prefix) throws IOException;

	/**
	 * A URL that lets anyone holding it read the object until {@code ttl} has passed, or empty when
	 * the backend cannot sign (the filesystem store; Keel's own signed links serve those).
	 */
	Optional<URI> presign(String key, Duration ttl, String downloadFileName);

	/** Deletes every object under {@code prefix}; returns how many were deleted. */
	default long deleteAll(String prefix) throws IOException {
		long n = 0;
		try (Stream<ObjectInfo> objects = list(prefix)) {
			for (ObjectInfo o : (Iterable<ObjectInfo>) objects::iterator) {
				delete(o.key());
				n++;
			}
		}
		return n;
	}

}
