package dev.keel.shared;

import java.util.List;
import java.util.Map;

/**
 * Raised by any module for a client-visible failure; the web edge renders it as problem+json
 * with the type's status, the detail, and the field errors when there are any.
 */
public class KeelProblemException extends RuntimeException {

	private final ProblemType type;

	private final List<FieldProblem> errors;

	private final Map<String, Object> extensions;

	public KeelProblemException(ProblemType type, String detail) {
		this(type, detail, List.of(), Map.of());
	}

	public KeelProblemException(ProblemType type, String detail, List<FieldProblem> errors) {
		this(type, detail, errors, Map.of());
	}

	public KeelProblemException(ProblemType type, String detail, List<FieldProblem> errors, Map<String, Object> extensions) {
		super(detail);
		this.type = type;
		this.errors = List.copyOf(errors);
		this.extensions = Map.copyOf(extensions);
	}

	public ProblemType type() {
		return this.type;
	}

	public List<FieldProblem> errors() {
		return this.errors;
	}

	public Map<String, Object> extensions() {
		return this.extensions;
	}

	/** One failed rule: which field (or part of the request), which rule, and why. */
	public record FieldProblem(String field, String rule, String message) {
	}

}
