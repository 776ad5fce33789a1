package dev.keel.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Objects in one S3-compatible bucket (AWS SDK v2, sync client).
 *
 * <p>A put reads at most one part ({@code S3_PART_SIZE_MB}, default 8) into memory: a stream that ends
 * within it becomes one PutObject, a longer one a multipart upload of part-sized buffers. S3 makes an
 * object visible only when PutObject or CompleteMultipartUpload succeeds, and any failure before that
 * aborts the multipart upload, so readers never see a partial object and no parts are left billed.
 * A process killed mid-upload leaves an invisible incomplete upload behind; a bucket lifecycle rule
 * ({@code AbortIncompleteMultipartUpload}) removes those (see docs/decisions/0500-object-storage.md).
 */
final class S3ObjectStore implements ObjectStore, AutoCloseable {

	static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

	/** S3's limit on parts per multipart upload. */
	static final int MAX_PARTS = 10_000;

	/** SigV4 signatures live at most seven days. */
	static final Duration MAX_PRESIGN_TTL = Duration.ofDays(7);

	private final S3Connection connection;

	private final S3Client client;

	private final S3Presigner presigner;

	private final String bucket;

	/** Keys per ListObjectsV2 page; S3's maximum, lowered only by tests that exercise paging. */
	private int listPageSize = 1000;

	S3ObjectStore(S3Connection connection) {
		this.connection = connection;
		this.bucket = connection.bucket();
		this.client = connection.client();
		this.presigner = connection.presigner();
	}

	static ObjectStore create(StorageProperties properties) {
		return new S3ObjectStore(S3Connection.of(properties));
	}

	@Override
	public String backend() {
		return "s3";
	}

	@Override
	public StoredObject put(String key, InputStream content, String contentType) throws IOException {
		StorageKeys.requireKey(key);
		String type = (contentType == null || contentType.isBlank()) ? DEFAULT_CONTENT_TYPE : contentType;
		MessageDigest sha = Digests.sha256();
		PartBuffer part = new PartBuffer(this.connection.partSizeBytes());
		if (!part.fill(content, sha)) {
			try {
				this.client.putObject((b) -> b.bucket(this.bucket).key(key).contentType(type).contentLength((long) part.length), part.body());
			}
			catch (SdkException ex) {
				throw failure("put", key, ex);
			}
			return new StoredObject(key, part.length, Digests.hex(sha.digest()));
		}
		return putMultipart(key, type, content, part, sha);
	}

	/** The first part is already in {@code part} (full); uploads it and every following part. */
	private StoredObject putMultipart(String key, String type, InputStream content, PartBuffer part, MessageDigest sha) throws IOException {
		String uploadId;
		try {
			uploadId = this.client.createMultipartUpload((b) -> b.bucket(this.bucket).key(key).contentType(type)).uploadId();
		}
		catch (SdkException ex) {
			throw failure("put", key, ex);
		}
		List<CompletedPart> parts = new ArrayList<>();
		long size = 0;
		try {
			boolean full = true;
			while (part.length > 0) {
				int partNumber = parts.size() + 1;
				if (partNumber > MAX_PARTS) {
					throw new IOException("object " + key + " exceeds S3's " + MAX_PARTS + " parts of " + part.limit / (1024 * 1024) + " MB; raise S3_PART_SIZE_MB");
				}
				int length = part.length;
				String etag = this.client.uploadPart((b) -> b.bucket(this.bucket).key(key).uploadId(uploadId).partNumber(partNumber).contentLength((long) length),
						part.body())
					.eTag();
				parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
				size += length;
				if (!full) {
					break;
				}
				full = part.fill(content, sha);
			}
			this.client.completeMultipartUpload((b) -> b.bucket(this.bucket).key(key).uploadId(uploadId).multipartUpload((m) -> m.parts(parts)));
		}
		catch (SdkException ex) {
			abort(key, uploadId, ex);
			throw failure("put", key, ex);
		}
		catch (IOException | RuntimeException | Error ex) {
			abort(key, uploadId, ex);
			throw ex;
		}
		return new StoredObject(key, size, Digests.hex(sha.digest()));
	}

	private void abort(String key, String uploadId, Throwable cause) {
		try {
			this.client.abortMultipartUpload((b) -> b.bucket(this.bucket).key(key).uploadId(uploadId));
		}
		catch (RuntimeException ex) {
			// The upload stays invisible either way; the bucket's lifecycle rule removes its parts.
			cause.addSuppressed(ex);
		}
	}

	@Override
	public InputStream get(String key) throws IOException {
		StorageKeys.requireKey(key);
		try {
			return this.client.getObject((b) -> b.bucket(this.bucket).key(key));
		}
		catch (NoSuchKeyException ex) {
			throw new ObjectNotFoundException(key);
		}
		catch (SdkException ex) {
			throw failure("get", key, ex);
		}
	}

	@Override
	public Optional<ObjectInfo> head(String key) throws IOException {
		StorageKeys.requireKey(key);
		try {
			HeadObjectResponse r = this.client.headObject((b) -> b.bucket(this.bucket).key(key));
			return Optional.of(new ObjectInfo(key, r.contentLength(), r.lastModified(), r.contentType()));
		}
		catch (S3Exception ex) {
			// HEAD responses have no body: a missing key is a bare 404 (mapped to NoSuchKey or not).
			if (ex.statusCode() == 404) {
				return Optional.empty();
			}
			throw failure("head", key, ex);
		}
		catch (SdkException ex) {
			throw failure("head", key, ex);
		}
	}

	@Override
	public boolean delete(String key) throws IOException {
		StorageKeys.requireKey(key);
		try {
			this.client.deleteObject((b) -> b.bucket(this.bucket).key(key));
			return true;
		}
		catch (SdkException ex) {
			throw failure("delete", key, ex);
		}
	}

	@Override
	public Stream<ObjectInfo> list(String prefix) throws IOException {
		StorageKeys.requirePrefix(prefix);
		// One ListObjectsV2 page (up to 1,000 keys) at a time, fetched as the stream is consumed; S3
		// lists in UTF-8 byte order, which is key order for Keel's ASCII keys. The first page is
		// fetched here so a wrong bucket or credentials fail the call, not the first read.
		Iterator<S3Object> objects = this.client.listObjectsV2Paginator((b) -> b.bucket(this.bucket).prefix(prefix).maxKeys(this.listPageSize)).contents().iterator();
		try {
			objects.hasNext();
		}
		catch (SdkException ex) {
			throw failure("list", prefix, ex);
		}
		Iterator<S3Object> translated = new Iterator<>() {
			@Override
			public boolean hasNext() {
				try {
					return objects.hasNext();
				}
				catch (SdkException ex) {
					throw new UncheckedIOException(failure("list", prefix, ex));
				}
			}

			@Override
			public S3Object next() {
				return objects.next();
			}
		};
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(translated, Spliterator.ORDERED | Spliterator.NONNULL), false)
			.filter((o) -> isKeelKey(o.key()))
			.map((o) -> new ObjectInfo(o.key(), o.size(), o.lastModified(), null));
	}

	@Override
	public Optional<URI> presign(String key, Duration ttl, String downloadFileName) {
		StorageKeys.requireKey(key);
		if (ttl == null || ttl.isNegative() || ttl.isZero()) {
			throw new IllegalArgumentException("presign ttl must be positive");
		}
		Duration capped = (ttl.compareTo(MAX_PRESIGN_TTL) > 0) ? MAX_PRESIGN_TTL : ttl;
		String name = (downloadFileName != null) ? downloadFileName : key.substring(key.lastIndexOf('/') + 1);
		String disposition = AttachmentDisposition.of(name);
		var presigned = this.presigner.presignGetObject((p) -> p.signatureDuration(capped)
			.getObjectRequest((g) -> g.bucket(this.bucket).key(key).responseContentDisposition(disposition)));
		try {
			return Optional.of(presigned.url().toURI());
		}
		catch (java.net.URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Checks that the bucket exists and these credentials may use it (HeadBucket), for the health check. */
	void checkBucket() throws IOException {
		try {
			this.client.headBucket((b) -> b.bucket(this.bucket));
		}
		catch (SdkException ex) {
			throw S3Errors.bucketFailure(this.connection, ex);
		}
	}

	S3ObjectStore withListPageSize(int keys) {
		this.listPageSize = keys;
		return this;
	}

	S3Connection connection() {
		return this.connection;
	}

	@Override
	public void close() {
		this.presigner.close();
		this.client.close();
	}

	private IOException failure(String action, String key, SdkException ex) {
		return S3Errors.failure(this.connection, action, key, ex);
	}

	private static boolean isKeelKey(String key) {
		try {
			StorageKeys.requireKey(key);
			return true;
		}
		catch (InvalidStorageKeyException ex) {
			return false; // written by something else into the same bucket: not Keel's to list or delete
		}
	}

	/**
	 * One part's bytes. It starts small and doubles up to the part size, so the many small puts
	 * (thumbnails, health probes) never allocate a whole part, and a large put holds exactly one.
	 */
	private static final class PartBuffer {

		private static final int INITIAL_SIZE = 64 * 1024;

		private final int limit;

		private byte[] bytes;

		private int length;

		PartBuffer(int limit) {
			this.limit = limit;
			this.bytes = new byte[Math.min(INITIAL_SIZE, limit)];
		}

		/** Replaces the contents with the next part; returns whether it is full (the stream may go on). */
		boolean fill(InputStream in, MessageDigest sha) throws IOException {
			this.length = 0;
			while (this.length < this.limit) {
				if (this.length == this.bytes.length) {
					this.bytes = Arrays.copyOf(this.bytes, Math.min(this.limit, this.bytes.length * 2));
				}
				int n = in.read(this.bytes, this.length, this.bytes.length - this.length);
				if (n < 0) {
					break;
				}
				sha.update(this.bytes, this.length, n);
				this.length += n;
			}
			return this.length == this.limit;
		}

		/** A fresh stream over the same bytes per attempt, so the SDK can sign and retry without a copy. */
		RequestBody body() {
			byte[] b = this.bytes;
			int n = this.length;
			return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(b, 0, n), n, DEFAULT_CONTENT_TYPE);
		}

	}

}
