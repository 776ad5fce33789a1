package dev.keel.storage;

/** Placeholder until the S3-compatible store lands (being built in parallel). */
final class S3ObjectStore {

	private S3ObjectStore() {
	}

	static ObjectStore create(StorageProperties properties) {
		throw new IllegalStateException("STORAGE_BACKEND=s3 is not available in this build yet");
	}

}
