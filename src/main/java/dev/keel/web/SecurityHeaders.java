package dev.keel.web;

import jakarta.servlet.http.HttpServletResponse;

/** The security headers of every response, for the paths that answer before the security chain. */
final class SecurityHeaders {

	static final String CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

	static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()";

	static final String HSTS = "max-age=31536000 ; includeSubDomains";

	private SecurityHeaders() {
	}

	static void write(HttpServletResponse response, boolean hsts) {
		response.setHeader("Cache-Control", "no-store");
		response.setHeader("X-Content-Type-Options", "nosniff");
		response.setHeader("X-Frame-Options", "DENY");
		response.setHeader("Content-Security-Policy", CSP);
		response.setHeader("Referrer-Policy", "no-referrer");
		response.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
		response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
		if (hsts) {
			response.setHeader("Strict-Transport-Security", HSTS);
		}
	}

}
