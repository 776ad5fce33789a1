package dev.keel.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.keel.shared.KeelProblemException;
import dev.keel.shared.KeelProblemException.FieldProblem;

import org.springframework.core.io.ByteArrayResource;

/** The upload rules on the generated corpus, without a server: each bad file fails the rule it should. */
class UploadValidatorTests {

	private final UploadValidator validator = new UploadValidator(25L * 1024 * 1024);

	@Test
	void acceptsEveryAllowedTypeBySniffedContent() throws IOException {
		assertThat(valid(TestFiles.jpeg(64, 48), "photo.jpg", "image/jpeg").type()).isEqualTo(FileType.JPEG);
		assertThat(valid(TestFiles.jpeg(64, 48), "photo.JPEG", null).type()).isEqualTo(FileType.JPEG);
		assertThat(valid(TestFiles.png(32, 32), "logo.png", "image/png").type()).isEqualTo(FileType.PNG);
		assertThat(valid(TestFiles.webp(), "pixel.webp", "image/webp").type()).isEqualTo(FileType.WEBP);
		assertThat(valid(TestFiles.pdf(), "report.pdf", "application/pdf").type()).isEqualTo(FileType.PDF);
		assertThat(valid(TestFiles.xlsx(), "sheet.xlsx", "application/octet-stream").type()).isEqualTo(FileType.XLSX);
	}

	@Test
	void theClientsContentTypeIsCheckedNotTrusted() {
		assertThat(rules(TestFiles.pdf(), "report.png", "image/png")).containsExactlyInAnyOrder("content-extension", "content-declared");
		assertThat(rules(TestFiles.png(8, 8), "photo.jpg", "image/jpeg")).containsExactlyInAnyOrder("content-extension", "content-declared");
		assertThat(rules(TestFiles.png(8, 8), "photo.png", "application/pdf")).containsExactly("content-declared");
	}

	@Test
	void executablesAreRefusedWhateverTheyAreCalled() {
		assertThat(rules(TestFiles.elf(), "cat.png", "image/png")).containsExactly("content-allowed");
		assertThat(rules(TestFiles.windowsExe(), "cat.png", "image/png")).containsExactly("content-allowed");
		assertThat(rules("<html><script>x</script></html>".getBytes(), "page.pdf", null)).containsExactly("content-allowed");
	}

	@Test
	void polyglotsAreRefused() {
		assertThat(problems(TestFiles.pngWithZip(), "cat.png", "image/png")).singleElement()
			.satisfies((p) -> assertThat(p.rule()).isEqualTo("polyglot"))
			.satisfies((p) -> assertThat(p.message()).contains("ZIP"));
		assertThat(problems(TestFiles.jpegWithScript(), "cat.jpg", "image/jpeg")).singleElement()
			.satisfies((p) -> assertThat(p.message()).contains("<script"));
		assertThat(rules(TestFiles.concat(TestFiles.png(8, 8), "trailing".getBytes()), "cat.png", null)).containsExactly("polyglot");
		assertThat(rules(TestFiles.concat(TestFiles.pdf(), TestFiles.plainZip()), "doc.pdf", null)).containsExactly("polyglot");
		assertThat(rules(TestFiles.concat(TestFiles.webp(), "<?php ?>".getBytes()), "pixel.webp", null)).containsExactly("polyglot");
	}

	@Test
	void aZipBombOrAPlainZipIsNotAWorkbook() {
		assertThat(problems(TestFiles.xlsxBomb(60), "sheet.xlsx", null)).singleElement()
			.satisfies((p) -> assertThat(p.rule()).isEqualTo("zip-bomb"));
		assertThat(rules(TestFiles.plainZip(), "sheet.xlsx", null)).containsExactly("xlsx-workbook");
	}

	@Test
	void aBombListedOnlyInTheCentralDirectoryIsFoundAndAnyDisagreementWithTheLocalHeadersIsRefused() throws Exception {
		byte[] hiddenBomb = TestFiles.xlsxWithHiddenEntry(20);
		try (var zip = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(hiddenBomb))) {
			int seen = 0;
			while (zip.getNextEntry() != null) {
				seen++;
			}
			assertThat(seen).as("a streaming reader sees only the workbook's five entries").isEqualTo(5);
		}
		assertThat(problems(hiddenBomb, "sheet.xlsx", null)).singleElement().satisfies((p) -> {
			assertThat(p.rule()).isEqualTo("zip-bomb");
			assertThat(p.message()).contains("inflates more than 100 times");
		});
		assertThat(problems(TestFiles.xlsxWithHiddenEntry(0), "sheet.xlsx", null)).singleElement().satisfies((p) -> {
			assertThat(p.rule()).isEqualTo("zip-bomb");
			assertThat(p.message()).contains("central directory lists 6 entries but its local headers 5");
		});
		assertThat(this.validator.validate(new ByteArrayResource(TestFiles.xlsx()), TestFiles.xlsx().length, "sheet.xlsx", null, null).type())
			.isEqualTo(FileType.XLSX);
	}

	@Test
	void dangerousNamesAreRefusedWithTheirRule() {
		byte[] png = TestFiles.png(8, 8);
		assertThat(rules(png, "../../etc/passwd.png", null)).contains("name-path");
		assertThat(rules(png, "..\\boot.png", null)).contains("name-path");
		assertThat(rules(png, "bell\u0007.png", null)).containsExactly("name-control");
		assertThat(rules(png, "line\nbreak.png", null)).containsExactly("name-control");
		assertThat(rules(png, "invoice\u202Egnp.exe.png", null)).containsExactly("name-control");
		assertThat(rules(png, "CON.png", null)).containsExactly("name-reserved");
		assertThat(rules(png, "com1.tar.png", null)).containsExactly("name-reserved");
		assertThat(rules(png, "noextension", null)).contains("extension-allowed");
		assertThat(rules(png, "x".repeat(300) + ".png", null)).containsExactly("name-length");
	}

	@Test
	void friendlyNamesAreKeptAndGiveASafeKeySegment() throws IOException {
		FileName name = valid(TestFiles.png(8, 8), "  Résumé   final (v2).PNG ", null).name();
		assertThat(name.display()).isEqualTo("Résumé final (v2).PNG");
		assertThat(name.keySegment()).isEqualTo("Resume-final-v2.png");
		assertThat(FileName.keySegment("日本語", "pdf")).isEqualTo("file.pdf");
		assertThat(FileName.keySegment(".hidden", "pdf")).isEqualTo("hidden.pdf");
	}

	@Test
	void sizesAreCheckedPerTypeAndGlobally() {
		assertThat(rules(new byte[0], "empty.pdf", null)).containsExactly("not-empty");
		KeelProblemException perType = failure(TestFiles.pngSized(11 * 1024 * 1024), "big.png", null);
		assertThat(perType.type()).isEqualTo(FileProblems.TOO_LARGE);
		assertThat(perType.errors()).extracting(FieldProblem::rule).containsExactly("max-size-type");
		KeelProblemException global = catchThrowableOfType(KeelProblemException.class,
				() -> new UploadValidator(1024).validate(new ByteArrayResource(TestFiles.pdf()), 2048, "a.pdf", null, null));
		assertThat(global.errors()).extracting(FieldProblem::rule).containsExactly("max-size");
		assertThat(global.type().status().value()).isEqualTo(413);
	}

	@Test
	void categoriesAreSimpleSegments() throws IOException {
		assertThat(valid(TestFiles.pdf(), "a.pdf", null).category()).isEqualTo("general");
		KeelProblemException bad = catchThrowableOfType(KeelProblemException.class,
				() -> this.validator.validate(new ByteArrayResource(TestFiles.pdf()), TestFiles.pdf().length, "a.pdf", null, "../x"));
		assertThat(bad.errors()).extracting(FieldProblem::rule).containsExactly("category-format");
	}

	private UploadValidator.ValidUpload valid(byte[] content, String name, String declared) throws IOException {
		return this.validator.validate(new ByteArrayResource(content), content.length, name, declared, null);
	}

	private List<String> rules(byte[] content, String name, String declared) {
		return problems(content, name, declared).stream().map(FieldProblem::rule).toList();
	}

	private List<FieldProblem> problems(byte[] content, String name, String declared) {
		return failure(content, name, declared).errors();
	}

	private KeelProblemException failure(byte[] content, String name, String declared) {
		KeelProblemException ex = catchThrowableOfType(KeelProblemException.class,
				() -> this.validator.validate(new ByteArrayResource(content), content.length, name, declared, null));
		assertThat(ex).as("expected " + name + " to be rejected").isNotNull();
		return ex;
	}

}
