package dev.keel.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.audit.AuditEntry;
import dev.keel.audit.AuditTrail;
import dev.keel.jobs.JobQueue;
import dev.keel.jobs.JobRequest;
import dev.keel.shared.KeelProblemException;
import dev.keel.shared.KeelProblemException.FieldProblem;
import dev.keel.shared.Page;
import dev.keel.shared.ProblemType;
import dev.keel.storage.ObjectStore;
import dev.keel.storage.StorageKeys;
import dev.keel.storage.StoredObject;
import dev.keel.tenancy.TenantScope;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.io.InputStreamSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The files of the current tenant ({@link TenantScope}). An upload is validated, scanned and checked
 * against the quota before its object is written; the row, the usage, the audit record and the
 * {@code file-process} job then commit together (and the object is removed again if they do not).
 * Another tenant's file id is simply not found.
 */
@Service
public class FileStore {

	static final String PROCESS_JOB = "file-process";

	private static final Logger log = LoggerFactory.getLogger(FileStore.class);

	private final FileRepository files;

	private final ObjectStore store;

	private final UploadValidator validator;

	private final ClamdClient scanner;

	private final FileMetrics metrics;

	private final AuditTrail audit;

	private final JobQueue jobs;

	private final TransactionTemplate tx;

	private final FilesSettings settings;

	private final ApplicationEventPublisher events;

	FileStore(FileRepository files, ObjectStore store, ClamdClient scanner, FileMetrics metrics, AuditTrail audit,
			JobQueue jobs, TransactionTemplate tx, FilesSettings settings, ApplicationEventPublisher events) {
		this.events = events;
		this.files = files;
		this.store = store;
		this.validator = new UploadValidator(settings.properties().maxUploadBytes());
		this.scanner = scanner;
		this.metrics = metrics;
		this.audit = audit;
		this.jobs = jobs;
		this.tx = tx;
		this.settings = settings;
	}

	/**
	 * Validates, scans and stores an upload for the current tenant. {@code content} may be opened
	 * several times (it is a temporary file); {@code declaredType} is the client's claim, checked
	 * against the sniffed content and never used otherwise.
	 */
	public FileView upload(InputStreamSource content, long size, String originalName, String declaredType, String category,
			UUID uploaderId) throws IOException {
		UUID tenant = requireTenant();
		UploadValidator.ValidUpload upload;
		try {
			upload = this.validator.validate(content, size, originalName, declaredType, category);
		}
		catch (KeelProblemException ex) {
			reject(tenant, originalName, ex.errors());
			throw ex;
		}
		scan(tenant, content, upload);
		long quota = this.settings.properties().tenantQuotaBytes();
		if (quota > 0 && this.tx.execute((s) -> this.files.usedBytes()) + size > quota) {
			throw quotaExceeded(tenant, upload, quota);
		}
		UUID id = UUID.randomUUID();
		String folder = StorageKeys.of("tenants", tenant.toString(), upload.category(), id.toString());
		StoredObject stored;
		try (InputStream in = content.getInputStream()) {
			stored = this.store.put(folder + "/" + upload.name().keySegment(), in, upload.type().mediaType());
		}
		boolean process = upload.type().image() && this.settings.imageOptimization();
		try {
			FileRepository.FileRow row = this.tx.execute((s) -> {
				long used = this.files.addUsage(stored.sizeBytes(), 1);
				if (quota > 0 && used > quota) {
					// A concurrent upload took the room since the pre-check; the row lock made this one see it.
					throw new QuotaRace();
				}
				FileRepository.FileRow inserted = this.files.insert(id, uploaderId, originalName, upload.name().display(),
						upload.type().mediaType(), stored.sizeBytes(), stored.sha256(), upload.category(), process ? "processing" : "stored",
						stored.key());
				this.audit.record(tenant, AuditEntry.of("file.uploaded", "file", id, null, auditView(inserted)));
				if (process) {
					this.jobs.enqueue(JobRequest.of(PROCESS_JOB, Map.of("fileId", id.toString())).tenant(tenant));
				}
				else {
					this.events.publishEvent(FileStored.of(inserted));
				}
				return inserted;
			});
			this.metrics.upload("accepted");
			return FileView.of(row);
		}
		catch (RuntimeException ex) {
			removeObjects(folder + "/");
			throw (ex instanceof QuotaRace) ? quotaExceeded(tenant, upload, quota) : ex;
		}
	}

	/** Rolls the upload's transaction back when the quota check under the usage row lock fails. */
	private static final class QuotaRace extends RuntimeException {

		QuotaRace() {
			super(null, null, false, false);
		}

	}

	/** One page of the tenant's files, newest first; {@code null} filters do not filter. */
	public Page<FileView> list(String status, String category, String contentType, String cursor, int limit) {
		requireTenant();
		FileRepository.Filter filter = new FileRepository.Filter(status, category, contentType);
		String position = Page.decodeCursor(cursor);
		Instant afterCreated = null;
		UUID afterId = null;
		if (position != null) {
			try {
				String[] parts = position.split("\\|", 2);
				afterCreated = Instant.parse(parts[0]);
				afterId = UUID.fromString(parts[1]);
			}
			catch (RuntimeException ex) {
				throw new KeelProblemException(ProblemType.VALIDATION_FAILED, "cursor is not one this API returned",
						List.of(new FieldProblem("cursor", "format", "is not a valid cursor")));
			}
		}
		Instant ac = afterCreated;
		UUID ai = afterId;
		List<FileRepository.FileRow> rows = this.tx.execute((s) -> this.files.page(filter, ac, ai, limit + 1));
		Page<FileRepository.FileRow> page = Page.of(rows, limit, (r) -> r.createdAt() + "|" + r.id());
		return new Page<>(page.items().stream().map(FileView::of).toList(), page.nextCursor());
	}

	public FileView get(UUID id) {
		return FileView.of(row(id));
	}

	/** Deletes the file's row (releasing its usage) and then its objects; audited. */
	public void delete(UUID id) {
		UUID tenant = requireTenant();
		FileRepository.FileRow before = this.tx.execute((s) -> {
			FileRepository.FileRow row = this.files.lock(id).orElseThrow(() -> notFound(id));
			this.files.delete(id);
			this.files.addUsage(-row.storedBytes(), "rejected".equals(row.status()) ? 0 : -1);
			this.audit.record(tenant, AuditEntry.of("file.deleted", "file", id, auditView(row), null));
			return row;
		});
		// After the commit: a crash here leaves an orphaned object, never a row without its object.
		removeObjects(StorageKeys.of("tenants", tenant.toString(), before.category(), id.toString()) + "/");
	}

	/** Bytes and files the current tenant holds, and its quota (0 = unlimited). */
	public Map<String, Long> usage() {
		requireTenant();
		long[] usage = this.tx.execute((s) -> this.files.usage());
		return Map.of("bytes", usage[0], "files", usage[1], "quotaBytes", this.settings.properties().tenantQuotaBytes());
	}

	FileRepository.FileRow row(UUID id) {
		requireTenant();
		return this.tx.execute((s) -> this.files.byId(id)).orElseThrow(() -> notFound(id));
	}

	private void scan(UUID tenant, InputStreamSource content, UploadValidator.ValidUpload upload) throws IOException {
		ClamdClient clamd = this.settings.virusScan() ? this.scanner : null;
		if (clamd == null) {
			return;
		}
		ClamdClient.Verdict verdict;
		try (InputStream in = content.getInputStream()) {
			verdict = clamd.scan(in);
		}
		catch (ClamdClient.ScannerUnavailableException ex) {
			log.warn("Upload refused: the virus scanner is unavailable ({})", ex.getMessage());
			this.metrics.upload("scanner_unavailable");
			throw new KeelProblemException(FileProblems.SCANNER_UNAVAILABLE,
					"The virus scanner is unavailable, so the upload was refused; try again later");
		}
		if (verdict.infected()) {
			log.warn("Upload refused: {} is infected with {}", upload.name().display(), verdict.signature());
			this.metrics.upload("infected");
			this.metrics.rejection("virus");
			Map<String, Object> after = new LinkedHashMap<>();
			after.put("filename", upload.name().display());
			after.put("contentType", upload.type().mediaType());
			after.put("sizeBytes", upload.sizeBytes());
			after.put("signature", verdict.signature());
			this.audit.record(tenant, AuditEntry.of("file.infected", "file", null, null, after));
			throw new KeelProblemException(FileProblems.INFECTED, "The file contains malware (" + verdict.signature() + ") and was not stored",
					List.of(new FieldProblem("file", "virus", verdict.signature())), Map.of("signature", verdict.signature()));
		}
	}

	private KeelProblemException quotaExceeded(UUID tenant, UploadValidator.ValidUpload upload, long quota) {
		List<FieldProblem> problems = List.of(new FieldProblem("file", "quota",
				"the tenant's storage quota of " + (quota >> 20) + " MB would be exceeded"));
		reject(tenant, upload.name().display(), problems);
		return new KeelProblemException(FileProblems.QUOTA_EXCEEDED, "The upload would exceed the tenant's storage quota", problems);
	}

	/**
	 * An upload the servlet container stopped reading at {@code MAX_UPLOAD_SIZE_MB}: counted and
	 * audited like any other rejection; returns the problem to answer with.
	 */
	KeelProblemException tooLargeWhileStreaming() {
		List<FieldProblem> problems = List.of(new FieldProblem("file", "max-size",
				"the upload is larger than the limit of " + this.settings.properties().maxUploadSizeMb() + " MB"));
		UUID tenant = TenantScope.current();
		if (tenant != null) {
			reject(tenant, null, problems);
		}
		return new KeelProblemException(FileProblems.TOO_LARGE, "1 upload rule(s) failed: max-size", problems);
	}

	private void reject(UUID tenant, String originalName, List<FieldProblem> problems) {
		this.metrics.upload("rejected");
		List<String> rules = problems.stream().map(FieldProblem::rule).distinct().toList();
		rules.forEach(this.metrics::rejection);
		Map<String, Object> after = new LinkedHashMap<>();
		after.put("filename", (originalName != null) ? originalName.replaceAll("\\p{Cntrl}", "?") : null);
		after.put("rules", rules);
		this.audit.record(tenant, AuditEntry.of("file.rejected", "file", null, null, after));
	}

	private void removeObjects(String prefix) {
		try {
			this.store.deleteAll(prefix);
		}
		catch (IOException | UncheckedIOException ex) {
			log.warn("Could not delete the objects under {}; they are orphaned", prefix, ex);
		}
	}

	static Map<String, Object> auditView(FileRepository.FileRow row) {
		Map<String, Object> v = new LinkedHashMap<>();
		v.put("filename", row.name());
		v.put("contentType", row.contentType());
		v.put("sizeBytes", row.sizeBytes());
		v.put("sha256", row.sha256());
		v.put("category", row.category());
		v.put("status", row.status());
		return v;
	}

	static UUID requireTenant() {
		UUID tenant = TenantScope.current();
		if (tenant == null) {
			throw new IllegalStateException("files are tenant-owned: call FileStore inside TenantScope");
		}
		return tenant;
	}

	static KeelProblemException notFound(UUID id) {
		return new KeelProblemException(ProblemType.NOT_FOUND, "No file " + id + " in this tenant");
	}

}
