package dev.keel.storage;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Object storage settings ({@code STORAGE_*}, {@code S3_*}).
 *
 * @param backend {@code filesystem} (default) or {@code s3}
 * @param path root directory of the filesystem store
 * @param s3Endpoint S3-compatible endpoint (MinIO, R2…); empty for AWS
 * @param s3Region signing region
 * @param s3Bucket bucket that holds every key
 * @param s3AccessKey access key id (empty = the SDK's default credential chain)
 * @param s3SecretKey secret access key
 * @param s3PathStyle path-style addressing ({@code endpoint/bucket/key}); on by default for custom endpoints
 * @param s3PartSizeMb multipart part size; a put of unknown length buffers at most one part
 */
@ConfigurationProperties("keel.storage")
public record StorageProperties(@DefaultValue("filesystem") String backend, @DefaultValue("./.keel/storage") String path,
		String s3Endpoint, @DefaultValue("us-east-1") String s3Region, String s3Bucket, String s3AccessKey, String s3SecretKey,
		@DefaultValue("true") boolean s3PathStyle, @DefaultValue("8") int s3PartSizeMb) {

	public boolean s3() {
		return "s3".equalsIgnoreCase(this.backend);
	}

}
