package dev.keel.tenancy;

import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.keel.shared.Page;

/** {@code /admin/tenants}: the tenant registry for platform admins (the security chain demands the role). */
@RestController
@RequestMapping("/admin/tenants")
class TenantAdminController {

	private final TenantManagement tenants;

	TenantAdminController(TenantManagement tenants) {
		this.tenants = tenants;
	}

	@GetMapping
	Page<Tenants.Tenant> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor,
			@RequestParam(required = false) String status) {
		return this.tenants.list(cursor, status, Page.limit(limit));
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Tenants.Tenant> create(@RequestBody NewTenant body) {
		return ResponseEntity.status(HttpStatus.CREATED).body(this.tenants.create(body.slug(), body.name()));
	}

	@GetMapping("/{id}")
	Tenants.Tenant get(@PathVariable UUID id) {
		return this.tenants.get(id);
	}

	@PostMapping("/{id}/suspend")
	Tenants.Tenant suspend(@PathVariable UUID id) {
		return this.tenants.suspend(id);
	}

	@PostMapping("/{id}/resume")
	Tenants.Tenant resume(@PathVariable UUID id) {
		return this.tenants.resume(id);
	}

	@DeleteMapping("/{id}")
	ResponseEntity<Map<String, Object>> delete(@PathVariable UUID id) {
		TenantDeleted deleted = this.tenants.delete(id);
		return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", deleted.after().id(), "status",
				deleted.after().status(), "purgeAfter", deleted.purgeAfter().toString()));
	}

	record NewTenant(String slug, String name) {
	}

}
