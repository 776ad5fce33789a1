package dev.keel.files;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.keel.audit.AuditEntry;
import dev.keel.audit.AuditTrail;
import dev.keel.shared.KeelProblemException;
import dev.keel.shared.KeelProblemException.FieldProblem;
import dev.keel.shared.ProblemType;
import dev.keel.storage.ObjectInfo;
import dev.keel.storage.ObjectStore;
import dev.keel.tenancy.TenantScope;
import dev.keel.tenancy.Tenants;

import org.springframework.stereotype.Service;

/**
 * Reading files back: authenticated downloads in the caller's tenant, and share links. A link is the
 * store's own presigned URL when it can make one (S3), otherwise a Keel link signed with
 * {@code SIGNED_URL_SECRET} and served by {@code GET /files/signed/{token}}. Only a {@code stored} file
 * is served or shared: while {@code processing} the object is still the original upload (EXIF/GPS not
 * yet stripped), and a {@code rejected} file has no content. A Keel link works only while its tenant
 * is active.
 */
@Service
class FileDownloads {

	static final Duration DEFAULT_TTL = Duration.ofHours(1);

	private static final Pattern TTL = Pattern.compile("(\\d{1,9})([smhd]?)");

	private final FileStore files;

	private final ObjectStore store;

	private final SignedLinks links;

	private final AuditTrail audit;

	private final FilesSettings settings;

	private final Clock clock;

	private final Tenants tenants;

	FileDownloads(FileStore files, ObjectStore store, SignedLinks links, AuditTrail audit, FilesSettings settings, Clock clock,
			Tenants tenants) {
		this.tenants = tenants;
		this.files = files;
		this.store = store;
		this.links = links;
		this.audit = audit;
		this.settings = settings;
		this.clock = clock;
	}

	/** An open download; the caller closes {@code content}. {@code expiresAt} is set for signed links. */
	record Download(InputStream content, String contentType, long sizeBytes, String filename, Instant expiresAt) {
	}

	/** A share link and when it stops working. */
	record SignedUrl(String url, Instant expiresAt) {
	}

	Download open(UUID id, boolean thumbnail) throws IOException {
		return open(this.files.row(id), thumbnail, null);
	}

	SignedUrl signedUrl(UUID id, String ttlParam) {
		Duration ttl = ttl(ttlParam, this.settings.properties().signedUrlMaxTtl());
		FileRepository.FileRow row = requireStored(this.files.row(id));
		Instant expiresAt = this.clock.instant().plus(ttl);
		Optional<URI> presigned = this.store.presign(row.storageKey(), ttl, row.name());
		String url = presigned.map(URI::toString)
			.orElseGet(() -> this.settings.baseUrl().replaceAll("/+$", "") + "/files/signed/" + this.links.sign(row.tenantId(), id, expiresAt));
		this.audit.record(row.tenantId(), AuditEntry.of("file.link-created", "file", id, null,
				Map.of("expiresAt", expiresAt.toString(), "ttlSeconds", ttl.toSeconds(), "presigned", presigned.isPresent())));
		return new SignedUrl(url, expiresAt);
	}

	/**
	 * The file behind a signed token (403 when altered, expired or its tenant is no longer active, 404
	 * when the file is gone, 409 when it is not {@code stored}).
	 */
	Download openSigned(String token) throws IOException {
		SignedLinks.Link link = this.links.verify(token);
		if (!this.tenants.byId(link.tenantId()).map(Tenants.Tenant::active).orElse(false)) {
			// Same answer as a bad signature: a stranger holding the link learns nothing about the tenant.
			throw new KeelProblemException(FileProblems.SIGNED_URL_INVALID, "This file link is not valid: it no longer grants access");
		}
		try (TenantScope.Binding binding = TenantScope.enter(link.tenantId())) {
			return open(this.files.row(link.fileId()), false, link.expiresAt());
		}
	}

	private Download open(FileRepository.FileRow given, boolean thumbnail, Instant expiresAt) throws IOException {
		FileRepository.FileRow row = requireStored(given);
		String key = thumbnail ? row.thumbnailKey() : row.storageKey();
		if (key == null) {
			throw new KeelProblemException(ProblemType.NOT_FOUND,
					thumbnail ? "File " + row.id() + " has no thumbnail" : "File " + row.id() + " has no content");
		}
		ObjectInfo info = this.store.head(key)
			.orElseThrow(() -> new KeelProblemException(ProblemType.NOT_FOUND, "The content of file " + row.id() + " is missing"));
		String contentType = thumbnail ? ((info.contentType() != null) ? info.contentType() : row.contentType()) : row.contentType();
		return new Download(this.store.get(key), contentType, info.sizeBytes(), thumbnail ? "thumbnail-" + row.name() : row.name(),
				expiresAt);
	}

	/** The row when its status is {@code stored}; otherwise 409 {@code file-not-ready} naming the status. */
	private static FileRepository.FileRow requireStored(FileRepository.FileRow row) {
		if ("stored".equals(row.status())) {
			return row;
		}
		String why = "rejected".equals(row.status()) ? "was rejected and has no content" : "is still being processed; try again shortly";
		throw new KeelProblemException(FileProblems.NOT_READY, "File " + row.id() + " " + why + " (status " + row.status() + ")", List.of(),
				Map.of("status", row.status()));
	}

	/** {@code ttl} as seconds ({@code 3600}) or with a unit ({@code 15m}, {@code 2h}, {@code 7d}); 1 s to the maximum. */
	static Duration ttl(String value, Duration max) {
		if (value == null || value.isBlank()) {
			return DEFAULT_TTL.compareTo(max) <= 0 ? DEFAULT_TTL : max;
		}
		Matcher m = TTL.matcher(value.strip());
		Duration ttl;
		try {
			if (!m.matches()) {
				throw new DateTimeParseException("not a ttl", value, 0);
			}
			long n = Long.parseLong(m.group(1));
			ttl = switch (m.group(2)) {
				case "m" -> Duration.ofMinutes(n);
				case "h" -> Duration.ofHours(n);
				case "d" -> Duration.ofDays(n);
				default -> Duration.ofSeconds(n);
			};
		}
		catch (DateTimeParseException | ArithmeticException ex) {
			throw badTtl("format", "must be seconds or a number with s, m, h or d, e.g. 3600 or 15m");
		}
		if (ttl.isZero()) {
			throw badTtl("range", "must be at least 1 second");
		}
		if (ttl.compareTo(max) > 0) {
			throw badTtl("max", "must be at most " + max.toSeconds() + " seconds (" + max + ")");
		}
		return ttl;
	}

	private static KeelProblemException badTtl(String rule, String message) {
		return new KeelProblemException(ProblemType.VALIDATION_FAILED, "ttl " + message, List.of(new FieldProblem("ttl", rule, message)));
	}

}
