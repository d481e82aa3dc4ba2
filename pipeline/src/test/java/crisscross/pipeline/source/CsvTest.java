package crisscross.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void plainFieldsAreTrimmed() {
    assertThat(Csv.split("a, b ,c")).containsExactly("a", "b", "c");
    assertThat(Csv.split("a,,c,")).containsExactly("a", "", "c", "");
  }

  @Test
  void quotedFieldsKeepSeparatorsAndEscapedQuotes() {
    assertThat(Csv.split("\"air drumming\",abc,\"say \"\"hi\"\", twice\""))
        .containsExactly("air drumming", "abc", "say \"hi\", twice");
  }

  @Test
  void audioSetLinesWithBlanksBeforeTheQuote() {
    assertThat(Csv.split("--PJHxphWEs, 30.000, 40.000, \"/m/09x0r,/t/dd00088\""))
        .containsExactly("--PJHxphWEs", "30.000", "40.000", "/m/09x0r,/t/dd00088");
  }

  @Test
  void otherSeparators() {
    assertThat(Csv.split("audio/a 1.wav\tbeach\tx", '\t')).containsExactly("audio/a 1.wav", "beach", "x");
  }

  @Test
  void byteOrderMarkIsDropped() {
    assertThat(Csv.stripBom("\uFEFFpath,label")).isEqualTo("path,label");
    assertThat(Csv.stripBom("path")).isEqualTo("path");
  }
}
