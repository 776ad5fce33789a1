package dev.keel.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AttachmentDispositionTests {

	@Test
	void plainAsciiNameIsUsedAsIsInBothParameters() {
		assertThat(AttachmentDisposition.of("report-2026.pdf")).isEqualTo("attachment; filename=\"report-2026.pdf\"; filename*=UTF-8''report-2026.pdf");
	}

	@Test
	void unicodeNameGetsATransliteratedFallbackAndAnExactExtendedName() {
		assertThat(AttachmentDisposition.of("Café Übersicht.xlsx"))
			.isEqualTo("attachment; filename=\"Cafe Ubersicht.xlsx\"; filename*=UTF-8''Caf%C3%A9%20%C3%9Cbersicht.xlsx");
		assertThat(AttachmentDisposition.of("日本.png")).startsWith("attachment; filename=\"__.png\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.png");
	}

	@Test
	void quotesBackslashesPercentAndControlCharactersCannotBreakTheHeader() {
		String header = AttachmentDisposition.of("a\"b\\c%41\r\nSet-Cookie: x.txt");
		assertThat(header).doesNotContain("\r").doesNotContain("\n");
		assertThat(header).isEqualTo("attachment; filename=\"c_41Set-Cookie: x.txt\"; filename*=UTF-8''c%2541Set-Cookie%3A%20x.txt");
		assertThat(AttachmentDisposition.of("say \"hi\".txt")).isEqualTo("attachment; filename=\"say _hi_.txt\"; filename*=UTF-8''say%20%22hi%22.txt");
	}

	@Test
	void pathsAndEmptyNamesFallBackToSafeNames() {
		assertThat(AttachmentDisposition.clean("../../etc/passwd")).isEqualTo("passwd");
		assertThat(AttachmentDisposition.clean("C:\\Users\\x\\doc.pdf")).isEqualTo("doc.pdf");
		assertThat(AttachmentDisposition.clean("..")).isEqualTo("download");
		assertThat(AttachmentDisposition.clean("  ")).isEqualTo("download");
		assertThat(AttachmentDisposition.clean(null)).isEqualTo("download");
		assertThat(AttachmentDisposition.clean("x".repeat(500))).hasSize(AttachmentDisposition.MAX_NAME_LENGTH);
	}

}
