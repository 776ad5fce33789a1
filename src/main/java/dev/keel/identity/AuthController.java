package dev.keel.identity;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/auth}: login, refresh and logout (open endpoints; the tokens are the credentials). */
@RestController
@RequestMapping(path = "/api/auth", consumes = MediaType.APPLICATION_JSON_VALUE)
class AuthController {

	private final Logins logins;

	AuthController(Logins logins) {
		this.logins = logins;
	}

	@PostMapping("/login")
	Logins.TokenPair login(@RequestBody LoginRequest body) {
		return this.logins.login(body.tenant(), body.email(), body.password());
	}

	@PostMapping("/refresh")
	Logins.TokenPair refresh(@RequestBody RefreshRequest body) {
		return this.logins.refresh(body.refreshToken());
	}

	@PostMapping("/logout")
	ResponseEntity<Void> logout(@RequestBody RefreshRequest body) {
		this.logins.logout(body.refreshToken());
		return ResponseEntity.noContent().build();
	}

	record LoginRequest(String tenant, String email, String password) {

		@Override
		public String toString() {
			return "LoginRequest[tenant=" + this.tenant + ", email=" + this.email + "]";
		}

	}

	record RefreshRequest(String refreshToken) {

		@Override
		public String toString() {
			return "RefreshRequest[...]";
		}

	}

}
