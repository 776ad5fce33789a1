package dev.keel.audit;

import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.keel.shared.Page;
import dev.keel.tenancy.TenantScope;

/**
 * {@code /api/audit}: the trail of the caller's tenant (tenant admins); {@code /admin/audit}: any
 * tenant's trail (the platform chain by default) and {@code /admin/audit/verify} for platform admins.
 */
@RestController
class AuditController {

	private final AuditTrail trail;

	AuditController(AuditTrail trail) {
		this.trail = trail;
	}

	@GetMapping("/api/audit")
	Page<AuditRecord> tenantTrail(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
			@RequestParam(required = false) String action) {
		return this.trail.page(TenantScope.current(), cursor, action, Page.limit(limit));
	}

	@GetMapping("/admin/audit")
	Page<AuditRecord> platformTrail(@RequestParam(required = false) UUID tenantId, @RequestParam(required = false) Integer limit,
			@RequestParam(required = false) String cursor, @RequestParam(required = false) String action) {
		return this.trail.page((tenantId != null) ? tenantId : TenantScope.PLATFORM, cursor, action, Page.limit(limit));
	}

	@GetMapping("/admin/audit/verify")
	AuditTrail.Verification verify(@RequestParam(required = false) UUID tenantId) {
		return this.trail.verify(tenantId);
	}

}
