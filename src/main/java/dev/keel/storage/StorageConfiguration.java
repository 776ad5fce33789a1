package dev.keel.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.jobs.JobSchedule;
import dev.keel.jobs.JobType;
import dev.keel.observability.HealthCheck;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the backend from {@code STORAGE_BACKEND} and contributes the {@code storage} health check and
 * the hourly {@code storage-part-sweep} job.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StorageProperties.class)
class StorageConfiguration {

	private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

	/** The S3 store closes its SDK clients with the context (inferred {@code close()}). */
	@Bean
	ObjectStore objectStore(StorageProperties properties) throws IOException {
		if (properties.s3()) {
			return S3ObjectStore.create(properties);
		}
		return new FilesystemObjectStore(Path.of(properties.path()));
	}

	/** Part files of puts whose process died, removed once an hour has passed (filesystem store only). */
	static final String PART_SWEEP_JOB = "storage-part-sweep";

	@Bean
	JobType storagePartSweepJobType(ObjectStore store) {
		return JobType.of(PART_SWEEP_JOB, (job) -> {
			if (store instanceof FilesystemObjectStore fs) {
				int removed = fs.sweepPartFiles(Duration.ofHours(1));
				if (removed > 0) {
					log.info("Removed {} part file(s) of interrupted storage writes", removed);
				}
			}
		}).withQueue("maintenance").withRetries(2, Duration.ofMinutes(5), false).withExpireIn(Duration.ofHours(1)).withConcurrency(1);
	}

	/**
	 * Hourly; a no-op on S3, where an interrupted multipart upload is invisible and the bucket's
	 * lifecycle rule ends it.
	 */
	@Bean
	JobSchedule storagePartSweepSchedule() {
		return JobSchedule.of(PART_SWEEP_JOB, "0 45 * * * *", ZoneOffset.UTC, PART_SWEEP_JOB);
	}

	/** Writes, reads back and deletes a small probe object, so a read-only or unreachable store shows. */
	@Bean
	HealthCheck storageHealthCheck(ObjectStore store) {
		return new HealthCheck() {
			@Override
			public String name() {
				return "storage";
			}

			/** Endpoint host, bucket and region: only for admins ({@code /health/detailed}), /health is public. */
			@Override
			public Map<String, Object> detail() {
				return (store instanceof S3ObjectStore s3) ? s3.connection().describe() : Map.of();
			}

			@Override
			public Result check() throws IOException {
				long t0 = System.nanoTime();
				Map<String, Object> d = new LinkedHashMap<>();
				d.put("backend", store.backend());
				try {
					if (store instanceof S3ObjectStore s3) {
						// HeadBucket first: "bucket does not exist" says more than a failed probe put.
						s3.checkBucket();
					}
					probe(store);
				}
				catch (IOException | RuntimeException ex) {
					d.put("latencyMs", (System.nanoTime() - t0) / 1_000_000);
					d.put("error", (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName());
					return Result.down(d);
				}
				d.put("latencyMs", (System.nanoTime() - t0) / 1_000_000);
				if (store instanceof FilesystemObjectStore fs) {
					long free = Files.getFileStore(fs.root()).getUsableSpace();
					long total = Files.getFileStore(fs.root()).getTotalSpace();
					d.put("freeMB", free / (1024 * 1024));
					d.put("percentUsed", (total > 0) ? Math.round(100.0 * (total - free) / total) : 0);
					if (free < 512L * 1024 * 1024) {
						return Result.degraded(d);
					}
				}
				return Result.up(d);
			}
		};
	}

	private static void probe(ObjectStore store) throws IOException {
		String key = StorageKeys.of("health", "probe-" + java.util.UUID.randomUUID());
		store.put(key, new java.io.ByteArrayInputStream(new byte[] { 'o', 'k' }), "text/plain");
		try {
			store.head(key).orElseThrow(() -> new IOException("probe object not readable"));
		}
		finally {
			store.delete(key);
		}
	}

}
