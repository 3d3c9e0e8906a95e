"""Every table of every feature, on SQLModel.metadata: what the migrations build (alembic/env.py) and
what the test comparing them with the models reads. App level: it imports each feature's models."""

from sqlmodel import SQLModel

from infoshare_widget.alerts import models as alerts_models
from infoshare_widget.auth import models as auth_models
from infoshare_widget.base import models as base_models
from infoshare_widget.embed import models as embed_models
from infoshare_widget.insight import models as insight_models
from infoshare_widget.records import models as records_models

FEATURE_MODELS = (base_models, auth_models, embed_models, records_models, insight_models, alerts_models)
metadata = SQLModel.metadata
