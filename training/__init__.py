"""Training: pretraining runs with their record, the evaluation report and the model card (and, later, fine-tuning).

python -m training.train --corpus ../shared/corpus/books --out model/weights/tinytales
python -m training.report model/weights/tinytales
"""
