package dev.keel.storage;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real S3-protocol server for tests: one s3proxy per test JVM, started on first use on a free
 * loopback port, storing objects in a temporary directory, checking SigV4 signatures (headers and
 * presigned URLs, including their expiry) against per-JVM random credentials. One bucket
 * ({@link #bucket()}) exists from the start; {@link #createBucket} makes more.
 *
 * <p>Run Keel against it from a {@code @KeelTest} class with
 * <pre>{@code
 * @DynamicPropertySource
 * static void s3(DynamicPropertyRegistry registry) {
 *     S3TestServer.shared().registerProperties(registry);
 * }
 * }</pre>
 * or hand {@link #environment()} to a Keel process.
 */
public final class S3TestServer {

	public static final String REGION = "us-east-1";

	private static S3TestServer shared;

	private final S3Proxy proxy;

	private final Path dir;

	private final URI endpoint;

	private final String accessKey = "keel-test-" + UUID.randomUUID().toString().substring(0, 8);

	private final String secretKey = UUID.randomUUID().toString();

	private final String bucket;

	private final S3Client admin;

	private final AtomicInteger buckets = new AtomicInteger();

	private S3TestServer() throws Exception {
		quietLogs();
		this.dir = Files.createTempDirectory("keel-s3proxy-");
		this.proxy = S3Proxy.builder()
			.blobStore(new FilesystemNio2BlobStore(this.dir.toString()))
			.endpoint(URI.create("http://127.0.0.1:0"))
			.awsAuthentication(AuthenticationType.AWS_V2_OR_V4, this.accessKey, this.secretKey)
			.build();
		this.proxy.start();
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (!"STARTED".equals(this.proxy.getState()) && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		this.endpoint = URI.create("http://127.0.0.1:" + this.proxy.getPort());
		this.admin = connection("unused", this.accessKey, this.secretKey, 8 * 1024 * 1024).client();
		this.bucket = createBucket();
	}

	/** The JVM's server, started on first call and stopped when the JVM exits. */
	public static synchronized S3TestServer shared() {
		if (shared == null) {
			try {
				shared = new S3TestServer();
			}
			catch (Exception ex) {
				throw new IllegalStateException("cannot start s3proxy", ex);
			}
			Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "s3proxy-stop"));
		}
		return shared;
	}

	public URI endpoint() {
		return this.endpoint;
	}

	/** The bucket that exists from the start (shared by every user of this server: use unique keys). */
	public String bucket() {
		return this.bucket;
	}

	public String region() {
		return REGION;
	}

	public String accessKey() {
		return this.accessKey;
	}

	public String secretKey() {
		return this.secretKey;
	}

	/** Creates a new, empty bucket with a unique name. */
	public String createBucket() {
		String name = "keel-test-" + this.buckets.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
		this.admin.createBucket((b) -> b.bucket(name));
		return name;
	}

	/** A client with the server's credentials, for checking what tests left in a bucket. */
	public S3Client client() {
		return this.admin;
	}

	/** Keel's variables for this server ({@code STORAGE_BACKEND=s3}, {@code S3_ENDPOINT}…). */
	public Map<String, String> environment() {
		Map<String, String> env = new LinkedHashMap<>();
		env.put("STORAGE_BACKEND", "s3");
		env.put("S3_ENDPOINT", this.endpoint.toString());
		env.put("S3_REGION", REGION);
		env.put("S3_BUCKET", this.bucket);
		env.put("S3_ACCESS_KEY", this.accessKey);
		env.put("S3_SECRET_KEY", this.secretKey);
		return env;
	}

	/**
	 * Points a Spring test context at this server. Registered as {@code keel.storage.*} properties:
	 * dynamic property sources arrive after the catalog has translated environment names.
	 */
	public void registerProperties(DynamicPropertyRegistry registry) {
		registry.add("keel.storage.backend", () -> "s3");
		registry.add("keel.storage.s3-endpoint", this.endpoint::toString);
		registry.add("keel.storage.s3-region", () -> REGION);
		registry.add("keel.storage.s3-bucket", () -> this.bucket);
		registry.add("keel.storage.s3-access-key", () -> this.accessKey);
		registry.add("keel.storage.s3-secret-key", () -> this.secretKey);
	}

	/** A store on {@code bucket} with this server's credentials and the given part size. */
	S3ObjectStore store(String bucket, int partSizeBytes) {
		return new S3ObjectStore(connection(bucket, this.accessKey, this.secretKey, partSizeBytes));
	}

	S3Connection connection(String bucket, String accessKey, String secretKey, int partSizeBytes) {
		return new S3Connection(this.endpoint, REGION, bucket, accessKey, secretKey, true, partSizeBytes);
	}

	private void stop() {
		try {
			this.proxy.stop();
		}
		catch (Exception ex) {
			// the JVM is exiting
		}
		try (Stream<Path> files = Files.walk(this.dir)) {
			files.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory
		}
	}

	/** s3proxy, its shaded Jetty and the SDK log every request at DEBUG under logback's default setup. */
	private static void quietLogs() {
		for (String name : new String[] { "org.gaul", "software.amazon.awssdk" }) {
			if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
				logger.setLevel(ch.qos.logback.classic.Level.WARN);
			}
		}
	}

}
