from django.urls import path

from . import export, flags, views

app_name = "records"

# No names in any URL: ids only (the read log and the access rules say who sees what).
urlpatterns = [
    path("leerling/<int:pk>/notities/nieuw/", views.note_add, name="note_add"),
    path("leerling/<int:pk>/documenten/", views.document_list, name="document_list"),
    path("leerling/<int:pk>/documenten/nieuw/", views.document_add, name="document_add"),
    path("leerling/<int:pk>/afdrukken/", export.file_export, name="file_export"),
    path("leerling/<int:pk>/gezin/koppelen/", views.family_link_add, name="family_link_add"),
    path("notities/<int:pk>/", views.note_detail, name="note"),
    path("notities/<int:pk>/wijzigen/", views.note_edit, name="note_edit"),
    path("notities/<int:pk>/verwijderen/", views.note_remove, name="note_remove"),
    path("notities/<int:pk>/voor-wie/", flags.note_flag_part, name="note_flags"),
    path("documenten/<int:pk>/", views.document_detail, name="document"),
    path("documenten/<int:pk>/voor-wie/", flags.document_flag_part, name="document_flags"),
    path("documenten/<int:pk>/downloaden/", views.document_download, name="document_download"),
    path("documenten/<int:pk>/verwijderen/", views.document_remove, name="document_remove"),
    path("bij/<slug:kind>/<int:target_id>/", views.attached_documents, name="attached_documents"),
    path("geschiedenis/<slug:kind>/<int:pk>/", views.history, name="history"),
    path("gezin/<int:pk>/besluit/", views.family_decide, name="family_decide"),
    path("gezinnen/", views.family_suggestions, name="family_suggestions"),
]
