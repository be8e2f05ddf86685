from django.urls import path

from duban.ledger import views

app_name = "ledger"

urlpatterns = [
    path("review/", views.review, name="review"),
    path("review/tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("review/tasks/<int:pk>/confirm/", views.task_confirm, name="task_confirm"),
    path("review/tasks/<int:pk>/reject/", views.task_reject, name="task_reject"),
    path("review/documents/<int:pk>/confirm/", views.document_confirm, name="document_confirm"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/new/", views.task_open, name="task_open"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/report/", views.report, name="report"),
    path("tasks/<int:pk>/watch/", views.task_watch, name="task_watch"),
    path("tasks/<int:pk>/instruct/", views.task_instruct, name="task_instruct"),
    path("tasks/<int:pk>/assign/", views.assign, name="assign"),
    path("tasks/<int:pk>/deadlines/", views.deadline_add, name="deadline_add"),
    path("deadlines/<int:pk>/", views.deadline_move, name="deadline_move"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("tasks/<int:pk>/order/", views.order_issue, name="order_issue"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/answer/", views.order_answer, name="order_answer"),
    path("reminders/", views.reminders, name="reminders"),
    path("reminders/<int:pk>/read/", views.reminder_read, name="reminder_read"),
    path("reminders/read-all/", views.reminders_read_all, name="reminders_read_all"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("tasks/<int:pk>/source-attachment/", views.source_attachment, name="source_attachment"),
]
