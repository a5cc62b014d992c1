from identities.notifications.emit import notification_delete, notification_emit
from identities.notifications.selectors import notifications_after

JOB = {"id_task": "job_abc", "job_id": "job_abc", "status": "completed"}


def test_notifications_after_lists_only_the_accounts_undismissed_ones_oldest_first(
    account, charlie
):
    first = notification_emit(account=account, name="progress", data=JOB)
    dismissed = notification_emit(account=account, name="progress", data=JOB)
    notification_emit(account=charlie.membership.account, name="completed", data=JOB)
    last = notification_emit(account=account, name="completed", data=JOB)
    notification_delete(account=account, notification_id=dismissed.pk)
    assert list(notifications_after(account=account, after_id=0)) == [first, last]
    assert list(notifications_after(account=account, after_id=first.pk)) == [last]
    assert list(notifications_after(account=account, after_id=0, exclude_ids={first.pk})) == [last]
