import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _create_embedded_broker_folders():
    from django.conf import settings

    if settings.CELERY_BROKER_USES_FILESYSTEM:
        for key in ("data_folder_in", "data_folder_out", "control_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)


app.on_after_configure.connect(lambda sender, **_: _create_embedded_broker_folders(), weak=False)


@task_prerun.connect
def _task_id_as_request_id(task_id=None, **_):
    from config.request_id import request_id_var

    request_id_var.set(f"task-{task_id}")
