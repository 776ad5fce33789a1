package dev.keel.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.audit.AuditEntry;
import dev.keel.audit.AuditTrail;
import dev.keel.jobs.Job;
import dev.keel.jobs.JobHandler;
import dev.keel.storage.ObjectStore;
import dev.keel.storage.StoredObject;
import dev.keel.tenancy.TenantScope;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code file-process} job: takes an image in {@code processing}, runs the {@link ImageOptimizer}
 * on a local copy, replaces the object with the result, writes the thumbnail next to it and marks
 * the file {@code stored}. An image that cannot be decoded is {@code rejected} with the reason and its
 * objects deleted (not retried: it would fail the same way); other failures throw and are retried.
 * Idempotent: a file no longer in {@code processing} is left alone.
 */
@Component
class FileProcessing implements JobHandler {

	private static final Logger log = LoggerFactory.getLogger(FileProcessing.class);

	private final FileRepository files;

	private final ObjectStore store;

	private final ImageOptimizer optimizer;

	private final TransactionTemplate tx;

	private final AuditTrail audit;

	private final FileMetrics metrics;

	private final ApplicationEventPublisher events;

	FileProcessing(FileRepository files, ObjectStore store, ImageOptimizer optimizer, TransactionTemplate tx, AuditTrail audit,
			FileMetrics metrics, ApplicationEventPublisher events) {
		this.events = events;
		this.files = files;
		this.store = store;
		this.optimizer = optimizer;
		this.tx = tx;
		this.audit = audit;
		this.metrics = metrics;
	}

	/** The job's payload. */
	record Payload(String fileId) {
	}

	@Override
	public void handle(Job job) throws Exception {
		UUID tenant = job.tenantId();
		UUID id = UUID.fromString(job.data(Payload.class).fileId());
		try (TenantScope.Binding binding = TenantScope.enter(tenant)) {
			process(tenant, id);
		}
	}

	private void process(UUID tenant, UUID id) throws IOException {
		FileRepository.FileRow row = this.tx.execute((s) -> this.files.byId(id)).orElse(null);
		if (row == null || !"processing".equals(row.status())) {
			return;
		}
		FileType type = FileType.byMediaType(row.contentType()).orElseThrow();
		long t0 = System.nanoTime();
		Path work = Files.createTempDirectory("keel-file-");
		try {
			Path source = work.resolve("source");
			try (InputStream in = this.store.get(row.storageKey())) {
				Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
			}
			ImageOptimizer.Result result;
			try {
				result = this.optimizer.optimize(source, type, work);
			}
			catch (ImageOptimizer.Rejected ex) {
				reject(tenant, row, ex.getMessage());
				this.metrics.processed("rejected", Duration.ofNanos(System.nanoTime() - t0));
				return;
			}
			StoredObject image = put(row.storageKey(), result.image(), result.contentType());
			String folder = row.storageKey().substring(0, row.storageKey().lastIndexOf('/'));
			StoredObject thumb = (result.thumbnail() != null)
					? put(folder + "/thumb/" + row.storageKey().substring(folder.length() + 1), result.thumbnail(), result.thumbnailContentType())
					: null;
			Boolean stillThere = this.tx.execute((s) -> {
				FileRepository.FileRow locked = this.files.lock(id).orElse(null);
				if (locked == null || !"processing".equals(locked.status())) {
					return locked != null;
				}
				FileRepository.FileRow after = this.files.markStored(id, renamedFor(locked.name(), locked.contentType(), result.contentType()),
						result.contentType(), image.sizeBytes(), image.sha256(),
						(thumb != null) ? thumb.key() : null, (thumb != null) ? thumb.sizeBytes() : 0);
				this.files.addUsage(after.storedBytes() - locked.storedBytes(), 0);
				this.audit.record(tenant, AuditEntry.of("file.processed", "file", id, FileStore.auditView(locked), FileStore.auditView(after)));
				this.events.publishEvent(FileStored.of(after));
				return true;
			});
			if (!Boolean.TRUE.equals(stillThere)) {
				// Deleted while it was being processed: the objects written above must not outlive the row.
				this.store.deleteAll(folder + "/");
			}
			this.metrics.processed("stored", Duration.ofNanos(System.nanoTime() - t0));
		}
		finally {
			deleteTree(work);
		}
	}

	private StoredObject put(String key, Path file, String contentType) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			return this.store.put(key, in, contentType);
		}
	}

	private void reject(UUID tenant, FileRepository.FileRow row, String reason) throws IOException {
		log.info("File {} rejected by the image step: {}", row.id(), reason);
		String rule = reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : "image-decode";
		this.metrics.rejection(rule);
		this.tx.executeWithoutResult((s) -> {
			FileRepository.FileRow locked = this.files.lock(row.id()).orElse(null);
			if (locked == null || !"processing".equals(locked.status())) {
				return;
			}
			FileRepository.FileRow after = this.files.markRejected(row.id(), reason);
			this.files.addUsage(-locked.storedBytes(), -1);
			this.audit.record(tenant, AuditEntry.of("file.rejected", "file", row.id(), FileStore.auditView(locked),
					Map.of("status", after.status(), "reason", reason)));
		});
		this.store.deleteAll(row.storageKey().substring(0, row.storageKey().lastIndexOf('/') + 1));
	}

	private static void deleteTree(Path dir) {
		try (var paths = Files.walk(dir)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
		catch (IOException ex) {
			log.warn("Could not remove the work directory {}", dir, ex);
		}
	}

	/**
	 * The display name after re-encoding: a WebP stored as PNG or JPEG is downloaded as
	 * {@code photo.png}, so name and content agree ({@code original_name} keeps what was uploaded).
	 */
	static String renamedFor(String name, String fromType, String toType) {
		if (toType == null || toType.equals(fromType)) {
			return name;
		}
		String extension = FileType.byMediaType(toType).map((t) -> t.extensions().get(0)).orElse(null);
		if (extension == null) {
			return name;
		}
		int dot = name.lastIndexOf('.');
		return ((dot > 0) ? name.substring(0, dot) : name) + "." + extension;
	}

}
