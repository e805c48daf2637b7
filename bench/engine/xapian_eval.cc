// xapian_eval.cc - the Xapian side of bench/engine's quality table.
//
// Indexes a BEIR corpus (title, then text, one document each, the English
// stemmer) into a temporary on-disk Xapian database, runs every query of
// queries.jsonl as an OR of its words with BM25 (Xapian's BM25Weight at its
// defaults) and writes the top 1000 of each as a TREC run on stdout.  The
// run is scored by bench_quality with the same code as innolink's and
// FTS5's runs, so the three rows of the table are measured alike.
//
// usage: xapian_eval CORPUS.jsonl QUERIES.jsonl DBDIR >run.txt
// Built by bench/engine/run.sh with c++ and pkg-config xapian-core jansson.
#include <jansson.h>
#include <xapian.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

namespace {

// The string (or integer) at key, "" when missing.
std::string field(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (json_is_string(v))
		return std::string(json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		return std::to_string(static_cast<long long>(json_integer_value(v)));
	return std::string();
}

// Calls fn(object) for each JSON line of path; false on a bad line.
template <typename Fn> bool each_line(const char *path, Fn fn)
{
	std::ifstream in(path);
	if (!in) {
		std::cerr << "xapian_eval: cannot open " << path << "\n";
		return false;
	}
	std::string line;
	size_t n = 0;
	while (std::getline(in, line)) {
		n++;
		if (line.find_first_not_of(" \t\r") == std::string::npos)
			continue;
		json_error_t err;
		json_t *o = json_loadb(line.data(), line.size(), 0, &err);
		if (!o || !json_is_object(o)) {
			std::cerr << "xapian_eval: " << path << ":" << n << ": " << err.text << "\n";
			json_decref(o);
			return false;
		}
		fn(o);
		json_decref(o);
	}
	return true;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 4) {
		std::cerr << "usage: xapian_eval CORPUS.jsonl QUERIES.jsonl DBDIR >run.txt\n";
		return 2;
	}
	try {
		Xapian::WritableDatabase db(argv[3], Xapian::DB_CREATE_OR_OVERWRITE);
		Xapian::TermGenerator tg;
		Xapian::Stem stem("english");
		tg.set_stemmer(stem);
		db.begin_transaction(false);
		bool ok = each_line(argv[1], [&](json_t *o) {
			Xapian::Document doc;
			tg.set_document(doc);
			tg.index_text(field(o, "title"));
			tg.increase_termpos();
			tg.index_text(field(o, "text"));
			doc.set_data(field(o, "_id"));
			db.add_document(doc);
		});
		db.commit_transaction();
		if (!ok)
			return 1;
		db.commit();

		Xapian::Enquire enquire(db);
		enquire.set_weighting_scheme(Xapian::BM25Weight());
		Xapian::QueryParser qp;
		qp.set_stemmer(stem);
		qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
		qp.set_default_op(Xapian::Query::OP_OR);
		qp.set_database(db);
		ok = each_line(argv[2], [&](json_t *o) {
			// flags 0: plain words, no boolean operators, phrases or +/-
			Xapian::Query q = qp.parse_query(field(o, "text"), 0);
			enquire.set_query(q);
			Xapian::MSet m = enquire.get_mset(0, 1000);
			std::string qid = field(o, "_id");
			unsigned rank = 0;
			for (Xapian::MSetIterator it = m.begin(); it != m.end(); ++it)
				std::printf("%s Q0 %s %u %.17g xapian\n", qid.c_str(),
					    it.get_document().get_data().c_str(), ++rank, it.get_weight());
		});
		return ok ? 0 : 1;
	} catch (const Xapian::Error &e) {
		std::cerr << "xapian_eval: " << e.get_description() << "\n";
		return 1;
	}
}
