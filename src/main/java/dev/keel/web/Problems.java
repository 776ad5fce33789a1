package dev.keel.web;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import tools.jackson.databind.json.JsonMapper;

import dev.keel.observability.LogContext;
import dev.keel.shared.KeelProblemException;
import dev.keel.shared.ProblemType;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/** Builds and writes problem+json bodies the same way everywhere (MVC, filters, the error page). */
final class Problems {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private Problems() {
	}

	static ProblemDetail of(ProblemType type, String detail, String instance, List<KeelProblemException.FieldProblem> errors) {
		ProblemDetail pd = ProblemDetail.forStatusAndDetail(type.status(), detail);
		pd.setType(type.uri());
		pd.setTitle(type.title());
		if (instance != null) {
			pd.setInstance(URI.create(instance));
		}
		if (errors != null && !errors.isEmpty()) {
			pd.setProperty("errors", errors);
		}
		String correlationId = MDC.get(LogContext.CORRELATION_ID);
		if (correlationId != null) {
			pd.setProperty("correlationId", correlationId);
		}
		return pd;
	}

	static void write(HttpServletResponse response, HttpServletRequest request, ProblemType type, String detail) throws IOException {
		ProblemDetail pd = of(type, detail, request.getRequestURI(), List.of());
		response.setStatus(type.status().value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setHeader("Cache-Control", "no-store");
		Map<String, Object> body = new java.util.LinkedHashMap<>();
		body.put("type", pd.getType().toString());
		body.put("title", pd.getTitle());
		body.put("status", pd.getStatus());
		body.put("detail", pd.getDetail());
		body.put("instance", request.getRequestURI());
		if (pd.getProperties() != null) {
			body.putAll(pd.getProperties());
		}
		response.getOutputStream().write(JSON.writeValueAsBytes(body));
	}

}
