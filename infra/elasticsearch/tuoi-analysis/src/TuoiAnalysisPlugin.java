package vn.tuoi.es;

import java.util.Map;

import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * Test-only stand-in for the token filters of Elasticsearch's analysis-common module, which the
 * integ-test-zip distribution on Maven Central does not ship. Same names and options as the
 * real filters (lowercase; asciifolding with preserve_original; edge_ngram with min_gram,
 * max_gram, preserve_original), so index mappings written for a full Elasticsearch work here.
 */
public class TuoiAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "lowercase", (indexSettings, env, name, settings) -> new Normalizing(name) {
                @Override
                public TokenStream create(TokenStream in) {
                    return new LowerCaseFilter(in);
                }
            },
            "asciifolding", (indexSettings, env, name, settings) -> {
                boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
                return new Normalizing(name) {
                    @Override
                    public TokenStream create(TokenStream in) {
                        return new ASCIIFoldingFilter(in, preserveOriginal);
                    }

                    @Override
                    public TokenStream normalize(TokenStream in) {
                        return new ASCIIFoldingFilter(in, false);
                    }
                };
            },
            "edge_ngram", (indexSettings, env, name, settings) -> {
                int minGram = settings.getAsInt("min_gram", 1);
                int maxGram = settings.getAsInt("max_gram", 2);
                boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
                return new TokenFilterFactory() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public TokenStream create(TokenStream in) {
                        return new EdgeNGramTokenFilter(in, minGram, maxGram, preserveOriginal);
                    }
                };
            }
        );
    }

    private abstract static class Normalizing implements NormalizingTokenFilterFactory {
        private final String name;

        Normalizing(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }
    }
}
