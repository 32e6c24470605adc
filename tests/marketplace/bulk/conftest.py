import pytest


@pytest.fixture
def run_work(django_capture_on_commit_callbacks):
    """Runs what a request queued after its commit (the import's checks and the import),
    including the steps those queue in turn."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run
