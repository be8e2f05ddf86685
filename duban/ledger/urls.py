from django.urls import path

from duban.ledger import documents_views, lifecycle_views, views, workbook_views

app_name = "ledger"

urlpatterns = [
    path("review/", views.review, name="review"),
    path("review/tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("review/tasks/<int:pk>/confirm/", views.task_confirm, name="task_confirm"),
    path("review/tasks/<int:pk>/reject/", views.task_reject, name="task_reject"),
    path("review/documents/<int:pk>/confirm/", views.document_confirm, name="document_confirm"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/export/", workbook_views.export, name="workbook_export"),
    path("import/", workbook_views.upload, name="workbook_upload"),
    path("import/<str:token>/", workbook_views.preview, name="workbook_preview"),
    path("import/<str:token>/import/", workbook_views.do_import, name="workbook_import"),
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
    # 签收, 延期, 办结验收 (duban/ledger/lifecycle_views.py)
    path("tasks/<int:pk>/acknowledge/", lifecycle_views.acknowledge, name="acknowledge"),
    path("acknowledgements/", lifecycle_views.acknowledgements, name="acknowledgements"),
    path("tasks/<int:pk>/extension/", lifecycle_views.extension_new, name="extension_new"),
    path("extensions/", lifecycle_views.extensions, name="extensions"),
    path("extensions/<int:pk>/", lifecycle_views.extension_detail, name="extension"),
    path("tasks/<int:pk>/closure/", lifecycle_views.closure_new, name="closure_new"),
    path("closures/", lifecycle_views.closures, name="closures"),
    path("closures/<int:pk>/", lifecycle_views.closure_detail, name="closure"),
    path("closure-attachments/<int:pk>/", lifecycle_views.closure_attachment, name="closure_attachment"),
    # 上传公文 and the 公文库 (duban/ledger/documents_views.py)
    path("upload/", documents_views.upload, name="upload"),
    path("upload/<int:pk>/", documents_views.upload_job, name="upload_job"),
    path("upload/<int:pk>/status/", documents_views.upload_job_status, name="upload_job_status"),
    path("library/", documents_views.library_index, name="library"),
    path("library/issues/", documents_views.library_issues, name="library_issues"),
    path("library/issues/<int:pk>/", documents_views.library_issue, name="library_issue"),
    path("library/documents/<int:pk>/", documents_views.library_document, name="library_document"),
]
