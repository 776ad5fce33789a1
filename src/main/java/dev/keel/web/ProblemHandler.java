package dev.keel.web;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.keel.shared.KeelProblemException;
import dev.keel.shared.KeelProblemException.FieldProblem;
import dev.keel.shared.ProblemType;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every error leaves Keel as {@code application/problem+json} with a stable type, a human detail and,
 * for invalid input, the list of failed rules. Unexpected failures answer 500 with only the
 * correlation id; the stack trace goes to the log.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	@ExceptionHandler(KeelProblemException.class)
	ResponseEntity<ProblemDetail> keel(KeelProblemException ex, HttpServletRequest request) {
		ProblemDetail pd = Problems.of(ex.type(), ex.getMessage(), request.getRequestURI(), ex.errors());
		ex.extensions().forEach(pd::setProperty);
		return respond(pd);
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException ex, HttpServletRequest request) {
		String expected = (ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName() : "another type";
		String message = "must be a valid " + expected;
		return respond(Problems.of(ProblemType.VALIDATION_FAILED, "Parameter '" + ex.getName() + "' " + message,
				request.getRequestURI(), List.of(new FieldProblem(ex.getName(), "type", message))));
	}

	@ExceptionHandler({ AccessDeniedException.class, AuthenticationException.class })
	void security(RuntimeException ex) {
		// Let the security chain's entry point and access-denied handler answer.
		throw ex;
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<ProblemDetail> unexpected(Exception ex, HttpServletRequest request) {
		log.error("Unhandled error on {} {}", request.getMethod(), request.getRequestURI(), ex);
		return respond(Problems.of(ProblemType.INTERNAL_ERROR,
				"An unexpected error occurred; quote the correlation id when reporting it.", request.getRequestURI(), List.of()));
	}

	@Override
	protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		String path = (request instanceof ServletWebRequest swr) ? swr.getRequest().getRequestURI() : null;
		ProblemDetail pd = switch (ex) {
			case NoResourceFoundException e -> Problems.of(ProblemType.NOT_FOUND, "No resource at " + path, path, List.of());
			case HttpRequestMethodNotSupportedException e -> Problems.of(ProblemType.METHOD_NOT_ALLOWED,
					"Method " + e.getMethod() + " is not supported here; use " + e.getSupportedHttpMethods(), path, List.of());
			case HttpMediaTypeNotSupportedException e -> Problems.of(ProblemType.UNSUPPORTED_MEDIA_TYPE,
					"Content type " + e.getContentType() + " is not supported; send " + e.getSupportedMediaTypes(), path, List.of());
			case HttpMediaTypeNotAcceptableException e -> Problems.of(ProblemType.NOT_ACCEPTABLE,
					"Cannot produce the requested media type; available: " + e.getSupportedMediaTypes(), path, List.of());
			case HttpMessageNotReadableException e when tooLarge(e) -> Problems.of(ProblemType.PAYLOAD_TOO_LARGE,
					"The request body is too large", path, List.of());
			case HttpMessageNotReadableException e -> Problems.of(ProblemType.MALFORMED_REQUEST, readableReason(e), path, List.of());
			case MissingServletRequestParameterException e -> Problems.of(ProblemType.VALIDATION_FAILED,
					"Parameter '" + e.getParameterName() + "' is required", path,
					List.of(new FieldProblem(e.getParameterName(), "required", "is required")));
			case MethodArgumentNotValidException e -> Problems.of(ProblemType.VALIDATION_FAILED,
					e.getBindingResult().getErrorCount() + " field(s) failed validation", path,
					e.getBindingResult().getFieldErrors().stream()
						.map((f) -> new FieldProblem(f.getField(), String.valueOf(f.getCode()), f.getDefaultMessage())).toList());
			case HandlerMethodValidationException e -> Problems.of(ProblemType.VALIDATION_FAILED, "Request parameters failed validation",
					path, e.getParameterValidationResults().stream().flatMap((r) -> r.getResolvableErrors().stream()
						.map((err) -> new FieldProblem(String.valueOf(r.getMethodParameter().getParameterName()), "constraint",
								err.getDefaultMessage()))).toList());
			case MaxUploadSizeExceededException e -> Problems.of(ProblemType.PAYLOAD_TOO_LARGE, "The request body is too large", path, List.of());
			default -> {
				ProblemDetail generic = ProblemDetail.forStatusAndDetail(statusCode, "Request could not be processed");
				generic.setTitle(ex.getClass().getSimpleName());
				yield generic;
			}
		};
		return new ResponseEntity<>(pd, problemHeaders(headers), HttpStatusCode.valueOf(pd.getStatus()));
	}

	private static boolean tooLarge(Throwable e) {
		for (Throwable t = e; t != null; t = t.getCause()) {
			if (t instanceof BodyLimitFilter.TooLarge) {
				return true;
			}
		}
		return false;
	}

	private static String readableReason(HttpMessageNotReadableException e) {
		String m = (e.getMostSpecificCause() != null) ? e.getMostSpecificCause().getMessage() : null;
		if (m == null || e.getMostSpecificCause() == e) {
			return "The request body is missing or is not valid JSON";
		}
		int nl = m.indexOf('\n');
		String first = (nl > 0) ? m.substring(0, nl) : m;
		return "The request body is not valid JSON: " + first.replaceAll("\\(for Object starting at.*", "").trim();
	}

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail pd) {
		return ResponseEntity.status(pd.getStatus()).headers(problemHeaders(null)).body(pd);
	}

	private static HttpHeaders problemHeaders(HttpHeaders base) {
		HttpHeaders h = new HttpHeaders();
		if (base != null) {
			h.putAll(base);
		}
		h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		h.setCacheControl("no-store");
		return h;
	}

}
