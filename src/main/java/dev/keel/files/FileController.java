package dev.keel.files;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.keel.identity.KeelPrincipal;
import dev.keel.shared.KeelProblemException;
import dev.keel.shared.KeelProblemException.FieldProblem;
import dev.keel.shared.Page;
import dev.keel.storage.AttachmentDisposition;

import org.springframework.core.io.InputStreamResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/**
 * {@code /api/files} (any signed-in user, in their tenant) and {@code /files/signed/{token}} (no
 * authentication: the token is the credential). Downloads always go out as attachments with the
 * sniffed type, {@code nosniff}, and never cacheable by shared caches.
 */
@RestController
class FileController {

	private final FileStore files;

	private final FileDownloads downloads;

	private final java.time.Clock clock;

	FileController(FileStore files, FileDownloads downloads, java.time.Clock clock) {
		this.files = files;
		this.downloads = downloads;
		this.clock = clock;
	}

	@PostMapping(path = "/api/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
	ResponseEntity<FileView> upload(@RequestParam(name = "file", required = false) MultipartFile file,
			@RequestParam(name = "category", required = false) String category, @AuthenticationPrincipal KeelPrincipal me)
			throws IOException {
		if (file == null) {
			throw new KeelProblemException(FileProblems.REJECTED, "The request has no 'file' part",
					List.of(new FieldProblem("file", "required", "send the file as the multipart part 'file'")));
		}
		FileView view = this.files.upload(file, file.getSize(), file.getOriginalFilename(), file.getContentType(), category,
				(me != null) ? me.userId() : null);
		return ResponseEntity.status(HttpStatus.CREATED).header(HttpHeaders.LOCATION, "/api/files/" + view.id()).body(view);
	}

	@GetMapping("/api/files")
	Page<FileView> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
			@RequestParam(required = false) String status, @RequestParam(required = false) String category,
			@RequestParam(required = false) String contentType) {
		return this.files.list(status, category, contentType, cursor, Page.limit(limit));
	}

	@GetMapping("/api/files/usage")
	Map<String, Long> usage() {
		return this.files.usage();
	}

	@GetMapping("/api/files/{id}")
	FileView get(@PathVariable UUID id) {
		return this.files.get(id);
	}

	@GetMapping("/api/files/{id}/content")
	ResponseEntity<InputStreamResource> content(@PathVariable UUID id) throws IOException {
		return send(this.downloads.open(id, false), CacheControl.noStore().cachePrivate());
	}

	@GetMapping("/api/files/{id}/thumbnail")
	ResponseEntity<InputStreamResource> thumbnail(@PathVariable UUID id) throws IOException {
		return send(this.downloads.open(id, true), CacheControl.noStore().cachePrivate());
	}

	@GetMapping("/api/files/{id}/signed-url")
	ResponseEntity<FileDownloads.SignedUrl> signedUrl(@PathVariable UUID id, @RequestParam(required = false) String ttl) {
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(this.downloads.signedUrl(id, ttl));
	}

	@DeleteMapping("/api/files/{id}")
	ResponseEntity<Void> delete(@PathVariable UUID id) {
		this.files.delete(id);
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/files/signed/{token}")
	ResponseEntity<InputStreamResource> signed(@PathVariable String token) throws IOException {
		FileDownloads.Download d = this.downloads.openSigned(token);
		long remaining = Math.max(0, Duration.between(this.clock.instant(), d.expiresAt()).toSeconds());
		return send(d, CacheControl.maxAge(Duration.ofSeconds(remaining)).cachePrivate());
	}

	private static ResponseEntity<InputStreamResource> send(FileDownloads.Download d, CacheControl cache) {
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(d.contentType()))
			.contentLength(d.sizeBytes())
			.cacheControl(cache)
			.header(HttpHeaders.CONTENT_DISPOSITION, AttachmentDisposition.of(d.filename()))
			.header("X-Content-Type-Options", "nosniff")
			.body(new InputStreamResource(d.content()));
	}

}
