package dev.keel.files;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.apache.tika.config.TikaConfig;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MimeTypes;

import dev.keel.shared.KeelProblemException;
import dev.keel.shared.KeelProblemException.FieldProblem;
import dev.keel.shared.ProblemType;

import org.springframework.core.io.InputStreamSource;

/**
 * Every rule an upload must pass before anything is stored (SPEC C9). The content is sniffed by its
 * magic bytes with Tika (never by its name or the client's Content-Type) and must agree with both the
 * extension and the declared type. All failed rules are reported together; a size rule makes it 413.
 */
final class UploadValidator {

	static final String DEFAULT_CATEGORY = "general";

	private static final Pattern CATEGORY = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

	/** Tika's names for a ZIP that may hold an OOXML package (tika-core alone cannot tell them apart). */
	private static final Set<String> ZIP_TYPES = Set.of("application/zip", "application/x-tika-ooxml", FileType.XLSX.mediaType());

	private static final Set<String> SIZE_RULES = Set.of("max-size", "max-size-type");

	private static final MimeTypes MAGIC = TikaConfig.getDefaultConfig().getMimeRepository();

	private final long maxBytes;

	UploadValidator(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	/** The upload as accepted: its sniffed type, normalised name and category. */
	record ValidUpload(FileType type, FileName name, String category, long sizeBytes) {
	}

	/** Throws {@link KeelProblemException} naming every failed rule; nothing is written anywhere. */
	ValidUpload validate(InputStreamSource content, long size, String originalName, String declaredType, String category)
			throws IOException {
		List<FieldProblem> problems = new ArrayList<>();
		String cat = (category == null || category.isBlank()) ? DEFAULT_CATEGORY : category.strip();
		if (!CATEGORY.matcher(cat).matches()) {
			problems.add(new FieldProblem("category", "category-format", "must be 1 to 40 lower-case letters, digits or '-'"));
		}
		FileName name = FileName.check(originalName, problems);
		if (size <= 0) {
			problems.add(new FieldProblem("file", "not-empty", "the file is empty"));
			throw failure(problems);
		}
		if (size > this.maxBytes) {
			problems.add(new FieldProblem("file", "max-size", "the file is larger than the upload limit of " + (this.maxBytes >> 20) + " MB"));
			throw failure(problems);
		}
		String detected = sniff(content);
		FileType type = FileType.byMediaType(detected).orElse(ZIP_TYPES.contains(detected) ? FileType.XLSX : null);
		if (type == null) {
			problems.add(new FieldProblem("file", "content-allowed",
					"the content is " + detected + ", which is not allowed; allowed: " + FileType.allowed()));
			throw failure(problems);
		}
		if (name != null && !type.extensions().contains(name.extension())) {
			problems.add(new FieldProblem("file", "content-extension",
					"the content is " + type.mediaType() + " but the extension is '." + name.extension() + "'"));
		}
		if (declaredType != null && !declaredType.isBlank() && !declaredType.startsWith("application/octet-stream")
				&& !type.declaredAs(declaredType)) {
			problems.add(new FieldProblem("file", "content-declared",
					"the content is " + type.mediaType() + " but was declared as " + declaredType.split(";", 2)[0].strip()));
		}
		if (size > type.maxBytes()) {
			problems.add(new FieldProblem("file", "max-size-type",
					type.mediaType() + " files may be at most " + (type.maxBytes() >> 20) + " MB"));
		}
		if (!problems.isEmpty()) {
			throw failure(problems);
		}
		structure(content, size, type, problems);
		if (!problems.isEmpty()) {
			throw failure(problems);
		}
		return new ValidUpload(type, name, cat, size);
	}

	private static void structure(InputStreamSource content, long size, FileType type, List<FieldProblem> problems) throws IOException {
		if (type == FileType.XLSX) {
			try (InputStream in = content.getInputStream()) {
				ZipInspection.Verdict verdict = ZipInspection.inspect(in, size);
				if (!verdict.ok()) {
					problems.add(new FieldProblem("file", verdict.rule(), verdict.message()));
					return;
				}
			}
		}
		byte[] head;
		byte[] tail;
		try (InputStream in = content.getInputStream()) {
			head = Polyglots.readHead(in);
		}
		try (InputStream in = content.getInputStream()) {
			tail = Polyglots.readTail(in, size);
		}
		String polyglot = Polyglots.find(type, head, tail, size);
		if (polyglot != null) {
			problems.add(new FieldProblem("file", "polyglot", polyglot));
		}
	}

	/** The media type by magic bytes alone: no file name is passed, so the name cannot sway it. */
	static String sniff(InputStreamSource content) throws IOException {
		try (InputStream in = new BufferedInputStream(content.getInputStream())) {
			MediaType type = MAGIC.detect(in, new Metadata());
			return type.getBaseType().toString();
		}
	}

	static boolean sizeRule(String rule) {
		return SIZE_RULES.contains(rule);
	}

	private static KeelProblemException failure(List<FieldProblem> problems) {
		boolean tooLarge = problems.stream().anyMatch((p) -> sizeRule(p.rule()));
		ProblemType type = tooLarge ? FileProblems.TOO_LARGE : FileProblems.REJECTED;
		String detail = problems.size() + " upload rule(s) failed: "
				+ String.join(", ", problems.stream().map(FieldProblem::rule).toList());
		return new KeelProblemException(type, detail, problems);
	}

}
