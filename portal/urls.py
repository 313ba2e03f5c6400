from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import accounts, candidate, examiner, planner, staff, views

app_name = "portal"

password_reset = [
    path("account/password-reset/", auth_views.PasswordResetView.as_view(
        template_name="portal/password_reset.html", email_template_name="portal/email/password_reset.txt",
        subject_template_name="portal/email/password_reset_subject.txt",
        success_url=reverse_lazy("portal:password_reset_done")), name="password_reset"),
    path("account/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="portal/password_reset_done.html"), name="password_reset_done"),
    path("account/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="portal/password_reset_confirm.html",
        success_url=reverse_lazy("portal:password_reset_complete")), name="password_reset_confirm"),
    path("account/reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="portal/password_reset_complete.html"), name="password_reset_complete"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("signup/", accounts.signup, name="signup"),
    path("account/verify-email/<str:token>/", accounts.verify_email, name="verify_email"),
    path("account/verify-email-again/", accounts.verification_resend, name="verification_resend"),
    *password_reset,
    path("sessions/", candidate.session_search, name="sessions"),
    path("book/", candidate.booking_create, name="book"),
    path("my/", candidate.my_exams, name="my_exams"),
    path("my/profile/", candidate.profile, name="profile"),
    path("my/data.zip", candidate.my_data, name="my_data"),
    path("my/provisions/", candidate.provision_list, name="provisions"),
    path("my/provisions/<int:provision_id>/evidence/", candidate.provision_evidence, name="provision_evidence"),
    path("my/bookings/<int:booking_id>/", candidate.booking_detail, name="booking"),
    path("my/bookings/<int:booking_id>/pay/", candidate.booking_pay, name="pay"),
    path("my/bookings/<int:booking_id>/cancel/", candidate.booking_cancel, name="cancel"),
    path("my/bookings/<int:booking_id>/exams.ics", candidate.booking_calendar, name="booking_calendar"),
    path("my/bookings/<int:booking_id>/receipt/", candidate.booking_receipt, name="receipt"),
    path("my/bookings/<int:booking_id>/summons.pdf", candidate.booking_summons, name="booking_summons"),
    path("my/registrations/<int:registration_id>/change/", candidate.registration_change, name="change"),
    path("my/results/<int:result_id>/request/", candidate.result_request, name="result_request"),
    path("examiner/", examiner.dashboard, name="examiner"),
    path("examiner/feed/<str:token>.ics", examiner.feed, name="examiner_feed"),
    path("examiner/availability/", examiner.availability, name="examiner_availability"),
    path("examiner/conflicts/", examiner.conflicts, name="examiner_conflicts"),
    path("examiner/assignments/<int:assignment_id>/answer/", examiner.assignment_answer, name="examiner_answer"),
    path("examiner/sessions/<int:session_id>/grades/", examiner.grades, name="examiner_grades"),
    path("examiner/schedule.pdf", examiner.schedule_pdf, name="examiner_schedule_pdf"),
    path("examiner/schedule.csv", examiner.schedule_csv, name="examiner_schedule_csv"),
    path("planner/", planner.overview, name="planner"),
    path("planner/runs/", planner.run_list, name="planner_runs"),
    path("planner/runs/<int:run_id>/", planner.run_detail, name="planner_run"),
    path("planner/runs/<int:run_id>/cancel/", planner.run_cancel, name="planner_run_cancel"),
    path("planner/runs/<int:run_id>/publish/", planner.run_publish, name="planner_run_publish"),
    path("planner/roster/", planner.roster, name="planner_roster"),
    path("planner/repair/", planner.repair, name="planner_repair"),
    path("planner/roster.csv", planner.roster_csv, name="planner_roster_csv"),
    path("planner/sessions/<int:session_id>/attendance.pdf", planner.attendance_pdf, name="planner_attendance"),
    path("planner/assignments/<int:assignment_id>/replace/", planner.assignment_replace, name="planner_replace"),
    path("planner/registrations/<int:registration_id>/move/", planner.registration_move, name="planner_move"),
    path("planner/registrations/<int:registration_id>/pin/", planner.registration_pin, name="planner_pin_placement"),
    path("planner/assignments/<int:assignment_id>/pin/", planner.assignment_pin, name="planner_pin_duty"),
    path("planner/sessions/<int:session_id>/open/", planner.session_open, name="planner_session_open"),
    path("planner/versions/", planner.versions, name="planner_versions"),
    path("planner/people/", planner.people, name="planner_people"),
    path("planner/examiners/<int:examiner_id>/", planner.examiner_roster, name="planner_examiner"),
    path("planner/candidates/<int:candidate_id>/", planner.candidate_roster, name="planner_candidate"),
    path("planner/versions/<int:version_id>/", planner.version_detail, name="planner_version"),
    path("planner/versions/<int:version_id>/undo/", planner.version_undo, name="planner_version_undo"),
    path("planner/written/", planner.written_list, name="planner_written"),
    path("planner/written/<int:plan_id>/", planner.written_plan, name="planner_written_plan"),
    path("planner/written/<int:plan_id>/apply/", planner.written_apply, name="planner_written_apply"),
    path("planner/written/<int:plan_id>/stop/", planner.written_stop, name="planner_written_stop"),
    path("planner/examiners.csv", planner.schedules_csv, name="planner_schedules_csv"),
    path("planner/examiners/<int:examiner_id>/schedule.pdf", planner.schedule_pdf, name="planner_schedule_pdf"),
    path("staff/provisions/", staff.provision_queue, name="provision_queue"),
    path("staff/print/", staff.print_batches, name="print_batches"),
    path("staff/print/<int:batch_id>.pdf", staff.print_batch_download, name="print_batch_download"),
    path("staff/provisions/<int:provision_id>/", staff.provision_review, name="provision_review"),
]
