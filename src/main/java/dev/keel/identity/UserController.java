package dev.keel.identity;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.keel.shared.Page;

/**
 * {@code /api/users} (tenant admins, in their tenant; platform admins in the tenant they act in) and
 * {@code /api/me} (anyone signed in). The security chain enforces the roles.
 */
@RestController
class UserController {

	private final UserManagement users;

	UserController(UserManagement users) {
		this.users = users;
	}

	@GetMapping("/api/me")
	Map<String, Object> me(@AuthenticationPrincipal KeelPrincipal me) {
		return Map.of("userId", me.userId(), "tenantId", me.tenantId(), "tenantSlug", me.tenantSlug(), "email", me.email(),
				"roles", me.roles());
	}

	@GetMapping("/api/users")
	Page<UserRepository.UserView> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
		return this.users.list(cursor, Page.limit(limit));
	}

	@PostMapping(path = "/api/users", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<UserRepository.UserView> create(@RequestBody NewUser body, @AuthenticationPrincipal KeelPrincipal me) {
		return ResponseEntity.status(HttpStatus.CREATED).body(this.users.create(body.email(), body.password(), body.roles(), me));
	}

	@GetMapping("/api/users/{id}")
	UserRepository.UserView get(@PathVariable UUID id) {
		return this.users.get(id);
	}

	@PatchMapping(path = "/api/users/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	UserRepository.UserView update(@PathVariable UUID id, @RequestBody UserChange body, @AuthenticationPrincipal KeelPrincipal me) {
		return this.users.update(id, body.roles(), body.status(), body.password(), me);
	}

	@DeleteMapping("/api/users/{id}")
	ResponseEntity<Void> delete(@PathVariable UUID id, @AuthenticationPrincipal KeelPrincipal me) {
		this.users.delete(id, me);
		return ResponseEntity.noContent().build();
	}

	record NewUser(String email, String password, List<String> roles) {

		@Override
		public String toString() {
			return "NewUser[email=" + this.email + ", roles=" + this.roles + "]";
		}

	}

	record UserChange(List<String> roles, String status, String password) {

		@Override
		public String toString() {
			return "UserChange[roles=" + this.roles + ", status=" + this.status + "]";
		}

	}

}
