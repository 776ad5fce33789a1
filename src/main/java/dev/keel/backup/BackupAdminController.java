package dev.keel.backup;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.keel.identity.KeelPrincipal;
import dev.keel.shared.Page;

/** {@code /admin/backup(s)}: SPEC §5 backup endpoints for platform admins (the security chain demands the role). */
@RestController
class BackupAdminController {

	private final BackupManagement backups;

	BackupAdminController(BackupManagement backups) {
		this.backups = backups;
	}

	@PostMapping(path = "/admin/backup", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Map<String, Object>> create(@RequestBody NewBackup body, @AuthenticationPrincipal KeelPrincipal me) {
		Backup b = this.backups.request(type(body.type()), uuid("tenantId", body.tenantId()), "admin:" + ((me != null) ? me.email() : "unknown"));
		Map<String, Object> out = new LinkedHashMap<>();
		out.put("backupId", b.id());
		out.put("status", b.status());
		out.put("type", b.type());
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(out);
	}

	@GetMapping("/admin/backups")
	Page<Backup> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
			@RequestParam(required = false) String type, @RequestParam(required = false) String status,
			@RequestParam(required = false) String tenantId) {
		BackupStatus s = null;
		if (status != null && !status.isBlank()) {
			try {
				s = BackupStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
			}
			catch (IllegalArgumentException ex) {
				throw BackupManagement.invalid("status", "one-of", "status must be one of " + List.of(BackupStatus.values()));
			}
		}
		return this.backups.list((type != null && !type.isBlank()) ? type(type) : null, s, uuid("tenantId", tenantId), cursor, Page.limit(limit));
	}

	@GetMapping("/admin/backups/summary")
	Map<String, Object> summary() {
		return this.backups.summary();
	}

	@GetMapping("/admin/backups/{id}")
	Backup get(@PathVariable UUID id) {
		return this.backups.get(id);
	}

	/** Streams the object with its SHA-256 as {@code X-Checksum-SHA256} (hex) and {@code Digest} (RFC 3230, base64). */
	@GetMapping("/admin/backups/{id}/download")
	void download(@PathVariable UUID id, HttpServletResponse response) throws Exception {
		BackupManagement.Download d = this.backups.download(id);
		Backup b = d.backup();
		try (InputStream in = d.content()) {
			response.setStatus(200);
			response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
			response.setContentLengthLong(b.sizeBytes());
			response.setHeader("X-Checksum-SHA256", b.sha256());
			response.setHeader("Digest", "sha-256=" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(b.sha256())));
			response.setHeader("Content-Disposition", "attachment; filename=\"" + b.storageKey().substring(b.storageKey().lastIndexOf('/') + 1) + "\"");
			try (OutputStream out = response.getOutputStream()) {
				in.transferTo(out);
			}
		}
	}

	@PostMapping("/admin/backups/{id}/verify")
	ResponseEntity<Map<String, Object>> verify(@PathVariable UUID id) {
		Backup b = this.backups.requestVerify(id);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("backupId", b.id(), "verification", "queued"));
	}

	@PostMapping(path = "/admin/backups/{id}/restore", consumes = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Object> restore(@PathVariable UUID id, @RequestBody BackupManagement.RestoreRequest body) {
		return this.backups.restore(id, body);
	}

	private static BackupType type(String type) {
		if (type == null || type.isBlank()) {
			throw BackupManagement.invalid("type", "required", "type is required: FULL or TENANT");
		}
		try {
			return BackupType.valueOf(type.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw BackupManagement.invalid("type", "one-of", "type must be one of " + List.of(BackupType.values()));
		}
	}

	private static UUID uuid(String field, String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return UUID.fromString(value.trim());
		}
		catch (IllegalArgumentException ex) {
			throw BackupManagement.invalid(field, "uuid", field + " must be a UUID");
		}
	}

	record NewBackup(String type, String tenantId) {
	}

}
