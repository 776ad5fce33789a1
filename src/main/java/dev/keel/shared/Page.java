package dev.keel.shared;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * One page of a list: the items and an opaque cursor for the next page ({@code null} on the last).
 * Cursors are base64url text so clients treat them as opaque.
 */
public record Page<T>(List<T> items, String nextCursor) {

	public static final int DEFAULT_LIMIT = 50;

	public static final int MAX_LIMIT = 200;

	/** Clamps a requested limit to 1..{@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
	public static int limit(Integer requested) {
		if (requested == null) {
			return DEFAULT_LIMIT;
		}
		if (requested < 1 || requested > MAX_LIMIT) {
			throw new KeelProblemException(ProblemType.VALIDATION_FAILED, "limit must be between 1 and " + MAX_LIMIT,
					List.of(new KeelProblemException.FieldProblem("limit", "range", "must be between 1 and " + MAX_LIMIT)));
		}
		return requested;
	}

	public static String encodeCursor(String position) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
	}

	/** The position inside a cursor, {@code null} for none; a malformed cursor is a client error. */
	public static String decodeCursor(String cursor) {
		if (cursor == null || cursor.isBlank()) {
			return null;
		}
		try {
			return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new KeelProblemException(ProblemType.VALIDATION_FAILED, "cursor is not one this API returned",
					List.of(new KeelProblemException.FieldProblem("cursor", "format", "is not a valid cursor")));
		}
	}

	/** Builds a page from {@code limit + 1} fetched rows: the extra row only signals that more exist. */
	public static <T> Page<T> of(List<T> fetched, int limit, java.util.function.Function<T, String> position) {
		if (fetched.size() <= limit) {
			return new Page<>(fetched, null);
		}
		List<T> items = fetched.subList(0, limit);
		return new Page<>(List.copyOf(items), encodeCursor(position.apply(items.get(limit - 1))));
	}

}
