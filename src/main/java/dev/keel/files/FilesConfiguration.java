package dev.keel.files;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.MultipartConfigElement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.jobs.JobType;
import dev.keel.observability.HealthCheck;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Wiring of the file pipeline: settings in force, multipart parsing straight to disk with the upload
 * limit enforced while streaming, the clamd client and its health check (only when scanning is on),
 * the signing key of share links, the image optimiser and the {@code file-process} job type.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FilesProperties.class)
class FilesConfiguration {

	private static final Logger log = LoggerFactory.getLogger(FilesConfiguration.class);

	/** Room for the multipart boundaries, part headers and the {@code category} field. */
	static final long MULTIPART_OVERHEAD = 64 * 1024;

	@Bean
	FilesSettings filesSettings(FilesProperties properties, Environment env, @Value("${keel.base-url:http://localhost:8080}") String baseUrl,
			@Value("${keel.features.image-optimization:true}") boolean imageOptimization) {
		boolean scan = ScanEnabled.enabled(env);
		log.info("File pipeline: uploads up to {} MB, virus scan {}, image optimisation {}, tenant quota {}", properties.maxUploadSizeMb(),
				scan ? "on (clamd " + properties.clamdHost() + ":" + properties.clamdPort() + ")" : "off", imageOptimization ? "on" : "off",
				(properties.tenantQuotaMb() > 0) ? properties.tenantQuotaMb() + " MB" : "none");
		return new FilesSettings(properties, scan, imageOptimization, baseUrl);
	}

	/**
	 * Replaces Spring Boot's multipart defaults (1 MB per file, kept in memory below a threshold):
	 * every part goes to a temporary file from its first byte, and the servlet container stops
	 * reading as soon as a file passes {@code MAX_UPLOAD_SIZE_MB} (answered 413 by the problem handler).
	 */
	@Bean
	MultipartConfigElement multipartConfigElement(FilesProperties properties) {
		long max = properties.maxUploadBytes();
		return new MultipartConfigElement(System.getProperty("java.io.tmpdir"), max, max + MULTIPART_OVERHEAD, 0);
	}

	@Bean
	ClamdClient clamdClient(FilesProperties properties) {
		return new ClamdClient(properties.clamdHost(), properties.clamdPort(), properties.clamdTimeout());
	}

	/** {@code clamd} in /health: zPING. Not critical: Keel serves everything else while uploads fail closed. */
	@Bean
	@Conditional(ScanEnabled.class)
	HealthCheck clamdHealthCheck(ClamdClient clamd) {
		return new HealthCheck() {
			@Override
			public String name() {
				return "virusScanner";
			}

			@Override
			public Result check() throws Exception {
				long t0 = System.nanoTime();
				Map<String, Object> d = new LinkedHashMap<>();
				boolean pong;
				try {
					pong = clamd.ping();
				}
				catch (java.io.IOException ex) {
					pong = false;
					d.put("error", "clamd at " + clamd.address() + " did not answer");
				}
				d.put("latencyMs", (System.nanoTime() - t0) / 1_000_000);
				return pong ? Result.up(d) : Result.down(d);
			}
		};
	}

	@Bean
	SignedLinks signedLinks(FilesProperties properties, Clock clock) {
		String secret = properties.signedUrlSecret();
		if (secret == null || secret.isBlank()) {
			// Production refuses to start without SIGNED_URL_SECRET (ConfigCatalog); dev links die with the process.
			log.warn("SIGNED_URL_SECRET is not set: signing file links with a random per-process key");
			byte[] key = new byte[32];
			new SecureRandom().nextBytes(key);
			return new SignedLinks(key, clock);
		}
		return new SignedLinks(secret.getBytes(StandardCharsets.UTF_8), clock);
	}

	@Bean
	ImageOptimizer imageOptimizer() {
		return new ProcessorImageOptimizer(new ImageProcessor());
	}

	/** Seed catalog: queue files, 3 retries after 30 s with backoff, 30 min expiry, priority 5. */
	@Bean
	JobType fileProcessJobType(FileProcessing processing) {
		return JobType.of(FileStore.PROCESS_JOB, processing)
			.withQueue("files")
			.withRetries(3, Duration.ofSeconds(30), true)
			.withExpireIn(Duration.ofMinutes(30))
			.withPriority(5)
			.withConcurrency(2);
	}

	/** {@code VIRUS_SCAN_ENABLED} when set, otherwise {@code FEATURE_VIRUS_SCAN}. */
	static final class ScanEnabled implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return enabled(context.getEnvironment());
		}

		static boolean enabled(Environment env) {
			Boolean explicit = env.getProperty("keel.files.virus-scan-enabled", Boolean.class);
			return (explicit != null) ? explicit : env.getProperty("keel.features.virus-scan", Boolean.class, false);
		}

	}

}
