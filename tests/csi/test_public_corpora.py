"""Reading the public corpora and mapping their labels (as the corpora's README sets out)."""

import pytest

from outstaff_analysis.csi.public_corpora import FILES, file_hashes, load_public_corpora


def _write(folder):
    lines = {
        "vader": "1\t2.5\tLoved it\n2\t-0.2\tIt is a table\n3\t-1.7\tAwful service\n",
        "uci": "Great phone\t1\nBroke in a day  \t0\n",
        "goemotions": "ru_text,text,labels,id\nКласс,Great,[0 17],a\nНу и ладно,Whatever,[27],b\n"
                      "Грустно и смешно,Sad and funny,\"[1, 25]\",c\nХм,Hmm,[6],d\nЗлюсь,Angry,[2],e\n",
        "cedr": "text,labels,source\nПогода,[],lj\nУра,[0],lj\nСтрашно и грустно,\"[1, 3]\",lj\nОго,[2],lj\n"
                "Ура и ого,\"[0, 2]\",lj\n",
    }
    for corpus, files in FILES.items():
        for name in files:
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(lines[corpus], encoding="utf-8")


def test_labels_follow_the_readme_mapping(tmp_path):
    _write(tmp_path)
    frame = load_public_corpora(tmp_path)
    assert list(frame.columns) == ["text", "polarity", "lang", "corpus", "file"]
    vader = frame[frame["file"] == "vader_icwsm2014/tweets_GroundTruth.txt"]
    assert vader["polarity"].tolist() == ["positive", "neutral", "negative"]
    uci = frame[frame["file"] == "uci_sentiment_labelled_sentences/yelp_labelled.txt"]
    assert uci[["text", "polarity"]].values.tolist() == [["Great phone", "positive"], ["Broke in a day", "negative"]]
    go = frame[frame["file"] == "ru_goemotions/ru-go-emotions-simplified-test.csv"]
    assert go[["text", "polarity", "lang"]].values.tolist() == [
        ["Класс", "positive", "ru"], ["Ну и ладно", "neutral", "ru"], ["Злюсь", "negative", "ru"],
        ["Great", "positive", "en"], ["Whatever", "neutral", "en"], ["Angry", "negative", "en"]]  # mixed, ambiguous out
    cedr = frame[frame["file"] == "cedr/cedr-main-test.csv"]
    assert cedr[["text", "polarity"]].values.tolist() == [["Погода", "neutral"], ["Ура", "positive"],
                                                          ["Страшно и грустно", "negative"]]  # surprise, mix out
    assert set(file_hashes(tmp_path)) == {name for files in FILES.values() for name in files}


def test_a_missing_corpus_file_is_named(tmp_path):
    _write(tmp_path)
    (tmp_path / "cedr" / "cedr-main-test.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"cedr-main-test\.csv: corpus file of 'cedr' not found"):
        load_public_corpora(tmp_path)
