"""Training the bundled model: settings are chosen by cross-validation on data the model does not score."""

from outstaff_analysis.csi.public_corpora import FILES
from outstaff_analysis.csi.train import (
    ALPHAS,
    TRAINING_2,
    WEIGHTS,
    TrainingConfig,
    load_training_data,
    select,
)

CORPUS_LINES = {
    "vader": "1\t2.5\tLoved it, great value\n2\t0.1\tIt is a table\n3\t-2.7\tAwful, slow service\n"
             "4\t3.0\tExcellent and friendly\n5\t-0.2\tThe box is blue\n6\t-3.1\tTerrible, it broke\n",
    "uci": "Great phone, works well\t1\nBroke in a day\t0\nI love this place\t1\nThe worst food ever\t0\n",
    "goemotions": "ru_text,text,labels,id\n\"Класс, спасибо\",\"Great, thanks\",[15],a\nНу и ладно,Whatever,[27],b\n"
                  "Это ужасно,This is awful,[25],c\nОтличная работа,Great work,[0],d\nЯ злюсь,I am angry,[2],e\n"
                  "Завтра среда,Tomorrow is Wednesday,[27],f\n",
    "cedr": "text,labels,source\nПогода обычная,[],lj\n\"Ура, победа\",[0],lj\nСтрашно и грустно,\"[1, 3]\",lj\n"
            "Новости в полдень,[],lj\nКак я рада,[0],lj\nЭто бесит,[4],lj\n",
}


def test_the_penalty_and_the_project_weight_are_chosen_together_by_cross_validation(tmp_path):
    for corpus, files in FILES.items():
        for name in files:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(CORPUS_LINES[corpus], encoding="utf-8")
    data = load_training_data(tmp_path)
    config, table = select(data, log=lambda line: None)
    stage1 = table[table["training_2"] == "none"]
    assert sorted(zip(stage1["alpha"], stage1["project_weight"])) == sorted((a, w) for a in ALPHAS for w in WEIGHTS)
    best = stage1.loc[stage1["score"].idxmax()]
    assert (config.alpha, config.project_weight) == (best["alpha"], best["project_weight"])
    assert len(table) == len(stage1) + len(TRAINING_2) - 1
    assert isinstance(config, TrainingConfig) and config.training_2 in TRAINING_2
