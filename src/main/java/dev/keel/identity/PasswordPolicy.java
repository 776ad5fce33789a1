package dev.keel.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.stereotype.Component;

import dev.keel.shared.KeelProblemException.FieldProblem;

/**
 * The password rule (SPEC C4): at least {@code PASSWORD_MIN_LENGTH} characters (12 by default), at
 * most 128 (bcrypt reads only 72 bytes; longer inputs are refused instead of silently truncated),
 * not only whitespace, and not containing the account's email name.
 */
@Component
class PasswordPolicy {

	static final int MAX_BYTES = 72;

	private final int minLength;

	PasswordPolicy(IdentityProperties properties) {
		this.minLength = properties.passwordMinLength();
	}

	List<FieldProblem> check(String field, String password, String email) {
		List<FieldProblem> problems = new ArrayList<>();
		if (password == null || password.isEmpty()) {
			problems.add(new FieldProblem(field, "required", "is required"));
			return problems;
		}
		if (password.codePointCount(0, password.length()) < this.minLength) {
			problems.add(new FieldProblem(field, "min-length", "must be at least " + this.minLength + " characters long"));
		}
		if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
			problems.add(new FieldProblem(field, "max-length", "must be at most " + MAX_BYTES + " bytes (bcrypt ignores the rest)"));
		}
		if (password.isBlank()) {
			problems.add(new FieldProblem(field, "not-blank", "must not be only whitespace"));
		}
		if (email != null && email.contains("@")) {
			String local = email.substring(0, email.indexOf('@')).toLowerCase(Locale.ROOT);
			if (local.length() >= 3 && password.toLowerCase(Locale.ROOT).contains(local)) {
				problems.add(new FieldProblem(field, "not-email", "must not contain the email address's name"));
			}
		}
		return problems;
	}

}
