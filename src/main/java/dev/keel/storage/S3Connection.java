package dev.keel.storage;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * How Keel reaches its bucket: endpoint, region, bucket, credentials and addressing, read from
 * {@link StorageProperties}. Building the clients contacts nothing, so a wrong bucket or key shows at
 * first use and in the {@code storage} health check, not as a failed boot.
 *
 * @param endpoint custom endpoint (MinIO, R2, s3proxy…), or null for AWS's regional endpoints
 * @param pathStyle {@code endpoint/bucket/key} instead of {@code bucket.endpoint/key}
 * @param accessKey null to use the SDK's default credential chain (environment, profile, instance role)
 */
record S3Connection(URI endpoint, String region, String bucket, String accessKey, String secretKey, boolean pathStyle, int partSizeBytes) {

	/** S3 rejects parts below 5 MiB (except the last); a put holds one part in memory, so the top is kept modest. */
	static final int MIN_PART_MB = 5;

	static final int MAX_PART_MB = 512;

	S3Connection {
		if (bucket == null || bucket.isBlank()) {
			throw new IllegalArgumentException("S3_BUCKET is required when STORAGE_BACKEND=s3");
		}
		if ((accessKey == null) != (secretKey == null)) {
			throw new IllegalArgumentException("S3_ACCESS_KEY and S3_SECRET_KEY must be set together");
		}
	}

	static S3Connection of(StorageProperties p) {
		URI endpoint = blank(p.s3Endpoint()) ? null : URI.create(p.s3Endpoint().strip());
		int partMb = Math.clamp(p.s3PartSizeMb(), MIN_PART_MB, MAX_PART_MB);
		return new S3Connection(endpoint, blank(p.s3Region()) ? "us-east-1" : p.s3Region().strip(), p.s3Bucket(),
				blank(p.s3AccessKey()) ? null : p.s3AccessKey(), blank(p.s3SecretKey()) ? null : p.s3SecretKey(),
				endpoint != null && p.s3PathStyle(), partMb * 1024 * 1024);
	}

	S3Client client() {
		S3ClientBuilder b = S3Client.builder()
			.region(Region.of(this.region))
			.credentialsProvider(credentials())
			.httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(Duration.ofSeconds(60)))
			.serviceConfiguration(serviceConfiguration())
			// Checksums only where S3 demands them: many S3-compatible stores reject the SDK's newer
			// default (aws-chunked bodies with CRC trailers). Integrity comes from SigV4's payload hash
			// over plain HTTP, TLS over HTTPS, and the SHA-256 Keel computes itself.
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
		if (this.endpoint != null) {
			b.endpointOverride(this.endpoint);
		}
		return b.build();
	}

	S3Presigner presigner() {
		S3Presigner.Builder b = S3Presigner.builder()
			.region(Region.of(this.region))
			.credentialsProvider(credentials())
			.serviceConfiguration(serviceConfiguration());
		if (this.endpoint != null) {
			b.endpointOverride(this.endpoint);
		}
		return b.build();
	}

	/** What the health check may show: never credentials, never a user-info part of the endpoint. */
	Map<String, Object> describe() {
		Map<String, Object> d = new LinkedHashMap<>();
		d.put("endpoint", (this.endpoint != null) ? hostAndPort(this.endpoint) : "s3." + this.region + ".amazonaws.com");
		d.put("bucket", this.bucket);
		d.put("region", this.region);
		return d;
	}

	/** Short name for error messages. */
	String where() {
		return "bucket '" + this.bucket + "' at " + describe().get("endpoint");
	}

	private S3Configuration serviceConfiguration() {
		// HttpURLConnection turns an early rejection of "Expect: 100-continue" into a bare
		// HttpRetryException, losing S3's error code; without it a rejected part is sent in full (at
		// most one part) and the error arrives intact.
		return S3Configuration.builder().pathStyleAccessEnabled(this.pathStyle).expectContinueEnabled(false).build();
	}

	private AwsCredentialsProvider credentials() {
		if (this.accessKey != null) {
			return StaticCredentialsProvider.create(AwsBasicCredentials.create(this.accessKey, this.secretKey));
		}
		return DefaultCredentialsProvider.builder().build();
	}

	private static String hostAndPort(URI uri) {
		String host = uri.getHost();
		return (uri.getPort() > 0) ? host + ":" + uri.getPort() : host;
	}

	private static boolean blank(String s) {
		return s == null || s.isBlank();
	}

	@Override
	public String toString() {
		// The record's generated toString would print the secret key.
		return "S3Connection[" + where() + ", pathStyle=" + this.pathStyle + ", partSizeBytes=" + this.partSizeBytes + "]";
	}

}
